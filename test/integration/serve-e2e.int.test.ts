import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines, web01Actions } from '../support/corpus';
import { createEsClient, deleteIndices, searchDocs } from '../support/elasticsearch';
import { committedOffsets, createKafka, createTopics, deleteTopics } from '../support/kafka';
import { scenario, serviceEnv } from '../support/scenario';
import { startService, type ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user: { target: { name: string } };
  host: { name: string };
  event: { kind: string; original: string };
}

/**
 * Issue 2's end-to-end check: web01's auth log produced to Kafka (key web01, header timezone Europe/Berlin),
 * the service killed with SIGKILL halfway and restarted; afterwards each expected alert exists exactly once,
 * on the true UTC second of actions.jsonl.
 */
describe('serve: Kafka in, Elasticsearch out, through a SIGKILL', () => {
  const names = scenario('e2e');
  const { topic, deadLetterTopic, groupId, indexPrefix } = names;
  const lines = corpusLines('web01', 'auth.log');
  const toorLine = lines.findIndex((l) => l.includes('name=toor'));
  let kafka: Kafka;
  let es: Client;
  const services: ServiceProcess[] = [];

  const env = (): Record<string, string> => ({
    ...serviceEnv(names),
    // small chunks: many commits, so the kill lands between "indexed" and "committed" for some chunk
    TUXWATCH_BATCH_SIZE: '4',
  });

  const produce = async (from: number, to: number): Promise<void> => {
    const producer = kafka.producer();
    await producer.connect();
    for (const line of lines.slice(from, to)) {
      // one send per line keeps them in separate fetches: the service works through them chunk by chunk
      await producer.send({
        topic,
        messages: [{ key: 'web01', value: line, headers: { timezone: 'Europe/Berlin' } }],
      });
    }
    await producer.disconnect();
  };

  const alerts = () =>
    searchDocs<AlertDoc>(es, `${indexPrefix}*`, { term: { 'rule.id': 'new-uid0-account' } });

  beforeAll(async () => {
    kafka = createKafka('e2e');
    es = createEsClient();
    await createTopics([topic, deadLetterTopic]);
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    await deleteIndices(es, `${indexPrefix}*`);
    await deleteTopics([topic, deadLetterTopic]);
    await es.close();
  });

  it('produces every expected alert exactly once with its true UTC time', async () => {
    // first half, up to and including toor's creation; then kill the service the moment toor's alert lands
    await produce(0, toorLine + 1);
    const first = startService(env());
    services.push(first);
    await waitFor(async () => (await alerts()).length >= 1, {
      timeoutMs: 60_000,
      message: `toor alert\n${first.logs}`,
    });
    first.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');

    // the rest of the log arrives while the service is down; a new process of the same group takes over
    await produce(toorLine + 1, lines.length);
    const second = startService(env());
    services.push(second);
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === String(lines.length), {
      timeoutMs: 90_000,
      message: `all ${lines.length} offsets committed\n${second.logs}`,
    });

    const found = await alerts();
    expect(found.map((a) => a.user.target.name).sort()).toEqual(['tmpadmin', 'toor']);
    const utc = (fragment: string) =>
      Date.parse(web01Actions().find((a) => a.action.includes(fragment))!.utc);
    const at = (name: string) => Date.parse(found.find((a) => a.user.target.name === name)!['@timestamp']);
    expect(Math.abs(at('toor') - utc('useradd UID0 toor'))).toBeLessThanOrEqual(1000);
    expect(Math.abs(at('tmpadmin') - utc('usermod -o -u 0 tmpadmin'))).toBeLessThanOrEqual(1000);
    for (const a of found) expect(a).toMatchObject({ host: { name: 'web01' }, event: { kind: 'alert' } });

    // nothing in the clean log was dead-lettered
    const admin = kafka.admin();
    await admin.connect();
    const dlOffsets = await admin.fetchTopicOffsets(deadLetterTopic);
    await admin.disconnect();
    expect(dlOffsets.every((p) => p.high === '0')).toBe(true);

    await second.stop();
    expect((await second.exited).code).toBe(0);
  });
});
