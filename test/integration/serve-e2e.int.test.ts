import { describe, expect, it } from 'vitest';
import { corpusLines, web01Actions } from '../support/corpus';
import { searchDocs } from '../support/elasticsearch';
import { useScenario } from '../support/scenario';
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
  const run = useScenario('e2e');
  const { kafka, deadLetterTopic, indexPrefix } = run;
  const lines = corpusLines('web01', 'auth.log');
  const toorLine = lines.findIndex((l) => l.includes('name=toor'));
  // small chunks: many commits, so the kill lands between "indexed" and "committed" for some chunk
  const start = () => run.start({ TUXWATCH_BATCH_SIZE: '4' });

  // one send per line keeps them in separate fetches: the service works through them chunk by chunk
  const produce = (from: number, to: number): Promise<void> =>
    run.send(
      lines.slice(from, to).map((value) => ({ key: 'web01', value, headers: { timezone: 'Europe/Berlin' } })),
      1,
    );

  const alerts = () =>
    searchDocs<AlertDoc>(run.es, `${indexPrefix}*`, { term: { 'rule.id': 'new-uid0-account' } });

  it('produces every expected alert exactly once with its true UTC time', async () => {
    // first half, up to and including toor's creation; then kill the service the moment toor's alert lands
    await produce(0, toorLine + 1);
    const first = start();
    await waitFor(async () => (await alerts()).length >= 1, {
      timeoutMs: 60_000,
      message: `toor alert\n${first.logs}`,
    });
    first.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');

    // the rest of the log arrives while the service is down; a new process of the same group takes over
    await produce(toorLine + 1, lines.length);
    const second = start();
    await run.allCommitted(lines.length, { timeoutMs: 90_000, logs: () => second.logs });

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
