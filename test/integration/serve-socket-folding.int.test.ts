import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../support/cli';
import { corpusLines, corpusPath } from '../support/corpus';
import { elasticsearchUrl, kafkaBrokers } from '../support/endpoints';
import { createEsClient, deleteIndices } from '../support/elasticsearch';
import { committedOffsets, createKafka, createTopics, deleteTopics } from '../support/kafka';
import { uniqueName } from '../support/names';
import { startService, type ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';

interface AlertDoc {
  rule: { id: string };
  server?: { port: number };
  process: { name: string; pid: number; executable?: string };
  user?: { name: string };
  event: { id?: string };
  tuxwatch: { alert: { sources: string[] } };
}

const SNAPSHOTS = ['lsof-i.txt', 'ss-tunap.txt', 'ps-auxww.txt'];

/**
 * One socket seen by lsof, ss and ps is one alert in Elasticsearch too, with the same `_id` scan gives it:
 * the folding key is shared. The ps rows arrive in later chunks than the listeners: the alert is updated
 * with what ps knew (the executable), as scan completes it whichever file it reads first.
 */
describe('serve: a socket seen by lsof, ss and ps is one alert', () => {
  const topic = uniqueName('sock-in');
  const groupId = uniqueName('sock-group');
  const indexPrefix = `tuxwatch-alerts-${uniqueName('sock')}-`;
  let es: Client;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    es = createEsClient();
    await createTopics([topic]);
  });

  afterAll(async () => {
    await service?.stop();
    await deleteIndices(es, `${indexPrefix}*`);
    await deleteTopics([topic]);
    await es.close();
  });

  it('web01’s listeners and initd’s connection: one document each, full name, user, executable, the _id of scan', async () => {
    const lines = SNAPSHOTS.flatMap((f) => corpusLines('web01', f));
    const producer = createKafka('sock').producer();
    await producer.connect();
    await producer.send({ topic, messages: lines.map((value) => ({ key: 'web01', value })) });
    await producer.disconnect();

    service = startService({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: uniqueName('sock-dead'),
      ELASTICSEARCH_URL: elasticsearchUrl(),
      TUXWATCH_ALERT_INDEX_PREFIX: indexPrefix,
      TUXWATCH_BATCH_SIZE: '5',
    });
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === String(lines.length), {
      timeoutMs: 60_000,
      message: 'all offsets committed',
    });
    await es.indices.refresh({ index: `${indexPrefix}*` });
    const hits = (
      await es.search<AlertDoc>({ index: `${indexPrefix}*`, size: 100, query: { match_all: {} } })
    ).hits.hits;
    const sockets = hits.filter((h) =>
      ['suspicious-listener', 'masquerading-process-connection'].includes(h._source!.rule.id),
    );
    expect(sockets.map((h) => `${h._source!.rule.id} ${h._source!.server?.port ?? ''}`).sort()).toEqual([
      'masquerading-process-connection ',
      'suspicious-listener 1337',
      'suspicious-listener 31337',
      'suspicious-listener 8081',
    ]);
    const nc = sockets.find((h) => h._source!.server?.port === 1337)!._source!;
    expect(nc.process).toMatchObject({ name: 'nc.openbsd', pid: 413 });
    expect(nc.user?.name).toBe('root');
    expect(nc.tuxwatch.alert.sources).toEqual(['lsof', 'ps', 'ss']);
    const smbd = sockets.find((h) => h._source!.server?.port === 31337)!._source!;
    expect(smbd.process.executable).toBe('/tmp/gen.Al5v/bin/smbd');

    // scan of the same files: the same findings under the same ids
    const scanned = ndjson<AlertDoc>(
      tuxwatch([
        'scan',
        '--host',
        'web01',
        '--format',
        'ndjson',
        ...SNAPSHOTS.map((f) => corpusPath('web01', f)),
      ]).stdout,
    );
    expect(sockets.map((h) => h._id).sort()).toEqual(scanned.map((a) => a.event.id).sort());
  });
});
