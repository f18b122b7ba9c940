import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { elasticsearchUrl } from '../../support/endpoints';
import { createEsClient, deleteIndices } from '../../support/elasticsearch';
import { FaultProxy } from '../../support/fault-proxy';
import {
  committedOffsets,
  committedTotal,
  createTopics,
  sumOffsets,
  waitAllCommitted,
} from '../../support/kafka';
import { scenario, serviceEnv } from '../../support/scenario';
import { PrivateKafka, privateKafkaUnavailable } from '../../support/private-kafka';
import { startService, tail, type ServiceProcess } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  expectReady,
  expectedAlerts,
  faultKafka,
  hostLines,
  idsAndCounts,
  indexedAlerts,
  interleave,
  logLines,
  readTopic,
  sleep,
  TopicWriter,
  ZONE,
} from './fault-helpers';

const unavailable = privateKafkaUnavailable();
/** how long the broker stays down */
const DOWN_MS = 15_000;

/**
 * The Kafka broker restarts under the service (SIGTERM, down for a while, started again on the same data).
 * Never done to the shared broker: this test starts its own, from the jars the local stack downloaded, on
 * free ports with a temp data directory. The service must survive it without exiting, resume from its
 * committed offsets, and end with the exact alert set (ids and fold counts: one process read it all);
 * nothing is dead-lettered.
 */
describe.skipIf(unavailable !== undefined)('fault: Kafka broker restart (private broker)', () => {
  const names = scenario('fault-broker');
  const { topic, deadLetterTopic, groupId, indexPrefix } = names;
  const observedAt = new Date();
  const first = interleave(
    hostLines('openssh', 'labsz-1'),
    hostLines('linux', 'combo-1'),
    hostLines('web01', 'web01'),
    hostLines('openssh', 'labsz-2'),
    hostLines('linux', 'combo-2'),
    hostLines('web01', 'web02'),
    hostLines('openssh', 'labsz-3'),
  );
  // evidence that arrives once the broker is back
  const later = interleave(hostLines('openssh', 'labsz-late'), hostLines('web01', 'web-late'));
  let broker: PrivateKafka;
  let kafka: Kafka;
  let es: Client;
  let proxy: FaultProxy;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    broker = await PrivateKafka.start();
    kafka = faultKafka('fault-broker', broker.brokers);
    es = createEsClient();
    // a slightly slow Elasticsearch (every answer 100 ms late) keeps the service busy with the stream for
    // several seconds, however fast the machine: the broker goes down while work is left
    proxy = await FaultProxy.start(elasticsearchUrl());
    await proxy.delay(100);
    await createTopics([{ topic, numPartitions: 3 }, deadLetterTopic], kafka);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
    await broker?.destroy();
    await deleteIndices(es, `${indexPrefix}*`);
    await es?.close();
  });

  it('survives the broker restart, resumes where it committed, and the alert set is exact', async () => {
    const writer = new TopicWriter(kafka, topic, 3);
    await writer.write(first, observedAt);
    const expected = expectedAlerts([...first, ...later], observedAt);

    service = startService({
      ...serviceEnv(names, { KAFKA_BROKERS: broker.brokers.join(','), ELASTICSEARCH_URL: proxy.url }),
      TUXWATCH_TIMEZONE: ZONE,
      TUXWATCH_BATCH_SIZE: '50',
    });
    let exited = false;
    void service.exited.then(() => (exited = true));
    await waitFor(async () => (await committedTotal(groupId, topic, kafka)) >= first.length * 0.2, {
      timeoutMs: 90_000,
      intervalMs: 100,
      message: `20% committed\n${tail(service.logs)}`,
    });

    // the broker goes down mid-stream (controlled shutdown) and stays down for a while; what was committed
    // just before is surely committed when it stops (a lower bound of the position the service resumes at)
    const cut = await committedOffsets(groupId, topic, kafka);
    await broker.stop();
    expect(sumOffsets(cut)).toBeLessThan(first.length);
    await proxy.pass();
    await sleep(DOWN_MS);
    expect(exited, tail(service.logs)).toBe(false);
    await broker.restart();

    await writer.write(later, observedAt);
    await writer.expectOnBroker();
    await waitAllCommitted(groupId, topic, writer.total, {
      timeoutMs: 180_000,
      logs: () => service!.logs,
      kafka,
    });

    // one process read every record, each once (a chunk given up when the broker went away and delivered
    // again is not counted twice): every alert and every fold count as `scan` has them
    const found = await indexedAlerts(es, `${indexPrefix}*`);
    expect(idsAndCounts(found)).toEqual(idsAndCounts(expected));
    const msgs = new Map<string, number>();
    for (const l of logLines(service.logs)) msgs.set(String(l.msg), (msgs.get(String(l.msg)) ?? 0) + 1);
    console.info(
      `broker restart: committed ${sumOffsets(cut)}/${first.length} just before the broker stopped; ` +
        `${found.length} alerts; service log ${JSON.stringify([...msgs])}`,
    );
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    expect(exited).toBe(false);
    await expectReady(service, 60_000);
    await service.stop();
    expect((await service.exited).code, tail(service.logs)).toBe(0);
  });
});
