import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { createEsClient, deleteIndices, searchDocs } from '../support/elasticsearch';
import { elasticsearchUrl, kafkaBrokers } from '../support/endpoints';
import { committedTotal, createKafka, createTopics, deleteTopics } from '../support/kafka';
import { uniqueName } from '../support/names';
import { startService, tail, type ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';
import { expectReady, logLines } from './faults/fault-helpers';

interface ListenerAlert {
  process: { name: string };
  server: { port: number };
}

interface CorrelationAlert {
  '@timestamp': string;
}

const snapshot = (n: number): string =>
  readFileSync(resolve(__dirname, '..', 'fixtures', 'ss', `app03-ss-tlnp-${n}.txt`), 'utf8');

/**
 * State that follows the partitions (issue #5.3): a listener baseline and a brute-force window built by one
 * process survive its SIGKILL into the next, and a partition handed to another instance by a rebalance
 * arrives with its hosts' state. Each check is one a process without the state would fail: without a
 * baseline a new listener is not "new" (no alert), without the window the count starts over (a later
 * alert), without either the same listener would be "new" again.
 */
describe('serve: per-host state survives restarts and rebalances', () => {
  const sockets = uniqueName('state-sockets');
  const auth = uniqueName('state-auth');
  const groupId = uniqueName('state-group');
  const indexPrefix = `tuxwatch-alerts-${uniqueName('state')}-`;
  const hourAgo = (h: number): string => String(Date.now() - h * 3_600_000);
  // web01's auth.log: the 3rd failed password is on line 21, the 5th on line 27 (09:11:03 Berlin)
  const authLog = corpusLines('web01', 'auth.log');
  const services: ServiceProcess[] = [];
  let es: Client;
  let sent = 0;

  const env = {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_GROUP_ID: groupId,
    KAFKA_TOPICS: `${sockets},${auth}`,
    KAFKA_TOPIC_KINDS: `${sockets}=ss`,
    KAFKA_DEAD_LETTER_TOPIC: uniqueName('state-dead'),
    ELASTICSEARCH_URL: elasticsearchUrl(),
    TUXWATCH_ALERT_INDEX_PREFIX: indexPrefix,
    TUXWATCH_BATCH_SIZE: '5',
  };
  const start = (): ServiceProcess => {
    const s = startService(env);
    services.push(s);
    return s;
  };

  async function produce(ssSnapshot: number, ageHours: number, authLines: string[]): Promise<void> {
    const producer = createKafka('state').producer();
    await producer.connect();
    await producer.send({
      topic: sockets,
      messages: [{ key: 'app03', value: snapshot(ssSnapshot), timestamp: hourAgo(ageHours) }],
    });
    if (authLines.length > 0) {
      await producer.send({
        topic: auth,
        messages: authLines.map((value) => ({ key: 'web01', value, headers: { timezone: 'Europe/Berlin' } })),
      });
    }
    await producer.disconnect();
    sent += 1 + authLines.length;
  }

  async function allCommitted(service: ServiceProcess): Promise<void> {
    await waitFor(
      async () => (await committedTotal(groupId, sockets)) + (await committedTotal(groupId, auth)) === sent,
      { timeoutMs: 90_000, intervalMs: 500, message: `all ${sent} records committed\n${tail(service.logs)}` },
    );
  }

  const listeners = async (): Promise<string[]> =>
    (await searchDocs<ListenerAlert>(es, `${indexPrefix}*`, { term: { 'rule.id': 'suspicious-listener' } }))
      .map((a) => `${a.process.name}:${a.server.port}`)
      .sort();
  const bruteForce = async (): Promise<string[]> =>
    (
      await searchDocs<CorrelationAlert>(es, `${indexPrefix}*`, { term: { 'rule.id': 'ssh-brute-force' } })
    ).map((a) => a['@timestamp']);

  beforeAll(async () => {
    es = createEsClient();
    await createTopics([
      // three each: round robin would split a partition number between two members, host affinity must not
      { topic: sockets, numPartitions: 3 },
      { topic: auth, numPartitions: 3 },
    ]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await deleteIndices(es, `${indexPrefix}*`);
    await deleteTopics([sockets, auth, `${groupId}.state`, env.KAFKA_DEAD_LETTER_TOPIC]);
    await es.close();
  });

  it('a SIGKILLed process’s successor keeps the baseline and the window; a new owner after a rebalance too', async () => {
    // 1. the first snapshot makes app03's baseline (no verdicts yet); three failed or refused attempts (two
    // "Invalid user", one failed password) open a window
    await produce(1, 3, authLog.slice(0, 14));
    const first = start();
    await allCommitted(first);
    expect(await listeners()).toEqual([]);
    expect(await bruteForce()).toEqual([]);
    first.kill('SIGKILL');
    await first.exited;

    // 2. a new process: python3:9090 is new against the restored baseline; two more attempts make five
    await produce(2, 2, authLog.slice(14, 19));
    const second = start();
    await allCommitted(second);
    expect(await listeners()).toEqual(['python3:9090']);
    expect(await bruteForce()).toEqual(['2026-11-26T08:10:55.000Z']);

    // 3. another instance joins and the first one leaves: the partitions, and app03's state, move over
    const third = start();
    const shared = await waitFor(
      () =>
        logLines(third.logs).find(
          (l) => l.msg === 'joined consumer group' && Object.values(l.assignment as object).flat().length > 0,
        )?.assignment as Record<string, number[]> | undefined,
      { timeoutMs: 60_000, message: `the third instance to join and get partitions\n${tail(third.logs)}` },
    );
    expect((shared[sockets] ?? []).sort()).toEqual((shared[auth] ?? []).sort());
    expect((shared[sockets] ?? []).length).toBeLessThan(3);
    await second.stop();
    expect((await second.exited).code).toBe(0);
    await waitFor(
      () =>
        logLines(third.logs).some(
          (l) =>
            l.msg === 'joined consumer group' &&
            ((l.assignment as Record<string, number[]>)[sockets] ?? []).length === 3,
        ),
      { timeoutMs: 90_000, message: `the third instance to own every partition\n${tail(third.logs)}` },
    );

    // 4. 7070 is new; 9090 and 8000 are not new again
    await produce(3, 1, []);
    await allCommitted(third);
    expect(await listeners()).toEqual(['python3:7070', 'python3:9090']);
    expect(await bruteForce()).toEqual(['2026-11-26T08:10:55.000Z']);
    await expectReady(third);
  });
});
