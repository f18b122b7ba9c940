import { describe, expect, it } from 'vitest';
import { elasticsearchUrl } from '../../support/endpoints';
import { committedOffsets, committedTotal, sumOffsets } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { tail, type ServiceProcess } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  alertsPastCommitted,
  expectAlertSet,
  expectReady,
  expectedAlerts,
  hostLines,
  hostsNotSplit,
  indexedAlerts,
  interleave,
  readTopic,
  recordText,
  TopicWriter,
  ZONE,
} from './fault-helpers';

/** The service gives up a graceful stop after 30 s and then exits 1; a clean stop exits 0 before that. */
const STOP_DEADLINE_MS = 30_000;

/**
 * SIGTERM during load, twice: once while chunks flow, once while Elasticsearch is down and the sink is
 * retrying. Each time the process exits 0 within its deadline, and what it finished it committed (no alert
 * of a record past the committed offsets); after a restart the alert set is exact.
 */
describe('fault: SIGTERM under load', () => {
  const run = useScenario('fault-term', { partitions: 3, faultProxy: true });
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  const first = interleave(
    hostLines('openssh', 'labsz-1'),
    hostLines('linux', 'combo-1'),
    hostLines('openssh', 'labsz-2'),
    hostLines('web01', 'web01'),
    hostLines('linux', 'combo-2'),
    hostLines('openssh', 'labsz-3'),
    hostLines('web01', 'web02'),
  );
  const second = interleave(hostLines('openssh', 'labsz-4'), hostLines('web01', 'web03'));
  const start = (esUrl: string): ServiceProcess =>
    run.start({ ELASTICSEARCH_URL: esUrl, TUXWATCH_TIMEZONE: ZONE, TUXWATCH_BATCH_SIZE: '50' });

  const terminate = async (s: ServiceProcess): Promise<number | null> => {
    s.kill('SIGTERM');
    const exit = await Promise.race([
      s.exited,
      new Promise<'late'>((r) => setTimeout(() => r('late'), STOP_DEADLINE_MS + 5_000)),
    ]);
    expect(exit, `exit within the stop deadline\n${tail(s.logs)}`).not.toBe('late');
    return exit === 'late' ? null : exit.code;
  };

  it('exits 0 and commits what it finished, and the alert set is exact after restarts', async () => {
    const { es, proxy } = run;
    const writer = new TopicWriter(kafka, topic, 3);
    await writer.write(first, observedAt);
    const expected = expectedAlerts([...first, ...second], observedAt);

    // 1. SIGTERM while chunks are flowing (through a slightly slow Elasticsearch, every answer 100 ms late,
    // so that the stop lands mid-stream however fast the machine)
    await proxy.delay(100);
    const one = start(proxy.url);
    await waitFor(async () => (await committedTotal(groupId, topic, kafka)) >= first.length * 0.2, {
      timeoutMs: 90_000,
      intervalMs: 100,
      message: `20% committed\n${tail(one.logs)}`,
    });
    expect(await terminate(one)).toBe(0);
    const cut1 = await committedOffsets(groupId, topic, kafka);
    expect(sumOffsets(cut1)).toBeLessThan(first.length);
    const afterOne = await indexedAlerts(es, `${indexPrefix}*`);
    expect(afterOne.length).toBeGreaterThan(0);
    // what it indexed, it committed: a graceful stop leaves no finished chunk uncommitted
    expect(alertsPastCommitted(afterOne, writer.placed, cut1).map((a) => a.id)).toEqual([]);

    // 2. SIGTERM while Elasticsearch is down and the sink is retrying
    await proxy.pass();
    const two = start(proxy.url);
    await expectReady(two, 60_000);
    await proxy.refuse();
    await writer.write(second, observedAt);
    await waitFor(() => /bulk request failed; retrying/.test(two.logs), {
      timeoutMs: 60_000,
      message: `a failing bulk request\n${tail(two.logs)}`,
    });
    const held = await committedOffsets(groupId, topic, kafka);
    expect(await terminate(two)).toBe(0);
    const cut2 = await committedOffsets(groupId, topic, kafka);
    // nothing past the chunk it could not index was committed on the way out
    const alerting = new Set(expected.map((a) => recordText(a.original)));
    for (const r of writer.placed) {
      if (alerting.has(recordText(r.value)) && r.offset >= Number(held.get(r.partition) ?? -1)) {
        expect(r.offset).toBeGreaterThanOrEqual(Number(cut2.get(r.partition) ?? -1));
      }
    }
    await proxy.pass();

    // 3. a new process finishes the work
    await writer.expectOnBroker();
    const three = start(elasticsearchUrl());
    await run.allCommitted(writer.total, { timeoutMs: 120_000, logs: () => three.logs });
    const found = await indexedAlerts(es, `${indexPrefix}*`);
    const whole = hostsNotSplit(writer.placed, [cut1, cut2]);
    const split = expectAlertSet(found, expected, whole);
    console.info(
      `sigterm: committed ${sumOffsets(cut1)} then ${sumOffsets(cut2)} of ${writer.total} at the stops; ` +
        `${found.length} alerts; hosts read whole: ${[...whole].sort().join(' ')}; split: ${split.join(' ')}`,
    );
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await expectReady(three);
    expect(await terminate(three)).toBe(0);
  });
});
