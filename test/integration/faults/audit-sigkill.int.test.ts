import { describe, expect, it } from 'vitest';
import { corpusLines } from '../../support/corpus';
import { committedOffsets } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { tail } from '../../support/service';
import { waitFor } from '../../support/wait';
import { indexedAlerts, produce, readTopic } from './fault-helpers';

/** The lines of one web02 event, in file order. */
const eventOf = (lines: readonly string[], id: string): string[] =>
  lines.filter((l) => l.includes(`audit(${id})`));

/**
 * auditd writes one record per line, so an event's records travel as separate messages, and may fall in two
 * chunks with a crash between them. The service commits only up to the first record of an event still open:
 * the restarted service reads the event again from its start and reports it once.
 */
describe('fault: an audit event split by a SIGKILL', () => {
  const run = useScenario('audit-kill');
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const web02 = corpusLines('web02', 'audit.log');
  // chmod 4755 /usr/local/bin/.rootsh: its exec, then the fchmodat (SYSCALL, CWD, PATH, PROCTITLE), then
  // the next command's exec
  const fchmodat = web02.find(
    (l) => l.includes('syscall=268') && l.includes('a2=9ed') && l.includes('comm="chmod"'),
  )!;
  const id = /audit\(([^)]+)\)/.exec(fchmodat)![1]!;
  const chmod = eventOf(web02, id);
  const at = web02.indexOf(chmod[0]!);
  const before = web02.slice(at - 8, at);
  const next = web02[web02.indexOf(chmod.at(-1)!) + 1]!;
  const after = eventOf(web02, /audit\(([^)]+)\)/.exec(next)![1]!);
  const first = [...before, ...chmod.slice(0, 2)];
  const second = [...chmod.slice(2), ...after];
  const start = () => run.start({ TUXWATCH_BATCH_SIZE: '1', KAFKA_SESSION_TIMEOUT_MS: '10000' });

  it('is indexed exactly once', { timeout: 300_000 }, async () => {
    expect(chmod.map((l) => /type=(\S+)/.exec(l)![1])).toEqual(['SYSCALL', 'CWD', 'PATH', 'PROCTITLE']);
    expect(before.at(-1)).toContain('type=PROCTITLE');
    expect(after.at(-1)).toContain('type=PROCTITLE');
    const observedAt = new Date();
    const records = (lines: string[]) => lines.map((value) => ({ key: 'web02', value }));
    await produce(kafka, topic, records(first), observedAt, 1);

    const one = start();
    // everything before the open event is done and committed; the commit stays at the event's first record
    const held = String(before.length);
    await waitFor(async () => (await committedOffsets(groupId, topic, kafka)).get(0) === held, {
      timeoutMs: 90_000,
      intervalMs: 200,
      message: `offset ${held} committed\n${tail(one.logs)}`,
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await committedOffsets(groupId, topic, kafka)).get(0)).toBe(held);
    expect(
      (await indexedAlerts(run.es, `${indexPrefix}*`)).filter((a) => a.ruleId === 'suid-sgid-creation'),
    ).toEqual([]);
    one.kill('SIGKILL');
    expect((await one.exited).signal).toBe('SIGKILL');

    await produce(kafka, topic, records(second), observedAt, 1);
    const two = start();
    await run.allCommitted(first.length + second.length, { timeoutMs: 120_000, logs: () => two.logs });
    const suid = (await indexedAlerts(run.es, `${indexPrefix}*`)).filter(
      (a) => a.ruleId === 'suid-sgid-creation',
    );
    expect(suid).toHaveLength(1);
    expect(suid[0]!.original.split('\n')).toEqual(chmod);
    expect(suid[0]!.host).toBe('web02');
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await two.stop();
    expect((await two.exited).code).toBe(0);
  });
});
