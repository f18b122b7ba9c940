import { beforeAll, describe, expect, it } from 'vitest';
import { committedOffsets, committedTotal, sumOffsets } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { tail } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  alertsPastCommitted,
  expectAlertSet,
  expectReady,
  expectedAlerts,
  hostLines,
  hostsDoneBefore,
  hostsNotStartedBefore,
  indexedAlerts,
  interleave,
  readTopic,
  TopicWriter,
  ZONE,
  type StreamRecord,
} from './fault-helpers';

/** 20 000 loghub lines (five renamed copies of each log) with web01's auth log spliced in at four offsets. */
function bigStream(): StreamRecord[] {
  const loghub = interleave(
    ...[1, 2, 3, 4, 5].flatMap((i) => [hostLines('linux', `combo-${i}`), hostLines('openssh', `labsz-${i}`)]),
  );
  const out = [...loghub];
  // from the end backwards, so earlier positions stay where they were computed
  [0.85, 0.6, 0.35, 0.1].forEach((at, i) => {
    out.splice(Math.floor(loghub.length * at), 0, ...hostLines('web01', `web0${4 - i}`));
  });
  return out;
}

/**
 * SIGKILL in the middle of a large stream, restart: every alert exactly once. What the killed process
 * indexed but did not commit is read again and meets 409s (deterministic ids), nothing is lost. The dead
 * member's partitions are free again after KAFKA_SESSION_TIMEOUT_MS (10 s here instead of 30 s).
 */
describe('fault: SIGKILL mid-stream, restart', () => {
  const run = useScenario('fault-kill', { partitions: 3, faultProxy: true });
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  const first = bigStream();
  // evidence of two more hosts arrives while the service is down
  const later = interleave(hostLines('openssh', 'labsz-late'), hostLines('web01', 'web05'));
  const start = () =>
    run.start({
      ELASTICSEARCH_URL: run.proxy.url,
      TUXWATCH_TIMEZONE: ZONE,
      TUXWATCH_BATCH_SIZE: '50',
      KAFKA_SESSION_TIMEOUT_MS: '10000',
    });

  // a slightly slow Elasticsearch (every answer 100 ms late): the service works through the stream for
  // several seconds, however fast the machine, so the kill lands mid-stream, between bulk and commit
  beforeAll(() => run.proxy.delay(100));

  it('loses nothing and doubles nothing across a SIGKILL', async () => {
    const { es, proxy } = run;
    expect(first.length).toBe(20_000 + 4 * 68);
    const writer = new TopicWriter(kafka, topic, 3);
    await writer.write(first, observedAt);
    const expected = expectedAlerts([...first, ...later], observedAt);
    expect(expected.filter((a) => a.ruleId === 'new-uid0-account')).toHaveLength(2 * 5);

    const one = start();
    // kill it once it has committed a good part, but not all, of the stream
    const done = await waitFor(
      async () => {
        const n = await committedTotal(groupId, topic, kafka);
        return n >= first.length * 0.2 ? n : 0;
      },
      { timeoutMs: 120_000, intervalMs: 100, message: `20% committed\n${tail(one.logs)}` },
    );
    one.kill('SIGKILL');
    expect((await one.exited).signal).toBe('SIGKILL');
    expect(done).toBeLessThan(first.length);
    const atKill = await committedOffsets(groupId, topic, kafka);
    const killedAt = sumOffsets(atKill);
    expect(killedAt).toBeLessThan(first.length);
    const atKillAlerts = await indexedAlerts(es, `${indexPrefix}*`);
    expect(atKillAlerts.length).toBeGreaterThan(0);
    // alerts the killed process wrote for records it never committed: the new one meets them again (409)
    const uncommittedAtKill = alertsPastCommitted(atKillAlerts, writer.placed, atKill).length;

    await proxy.pass();
    await writer.write(later, observedAt);
    await writer.expectOnBroker();
    const two = start();
    await run.allCommitted(writer.total, { timeoutMs: 180_000, logs: () => two.logs });

    const found = await indexedAlerts(es, `${indexPrefix}*`);
    // read whole: by the killed process (all committed before the kill), or by the new one (none committed
    // before the kill: whatever the killed process did with them it did from their first record on)
    const whole = new Set([
      ...hostsDoneBefore(writer.placed, atKill),
      ...hostsNotStartedBefore(writer.placed, atKill),
    ]);
    expect(whole).toContain('web05');
    const split = expectAlertSet(found, expected, whole);
    console.info(
      `sigkill: committed ${killedAt}/${first.length} at the kill, ${uncommittedAtKill} alerts indexed past it; ` +
        `${found.length} alerts; ` +
        `hosts read whole: ${[...whole].sort().join(' ')}; split by the kill: ${split.join(' ')}`,
    );
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await expectReady(two);
    await two.stop();
    expect((await two.exited).code).toBe(0);
  });
});
