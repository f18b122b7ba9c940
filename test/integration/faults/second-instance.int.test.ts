import { describe, expect, it } from 'vitest';
import { committedTotal } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { tail, type ServiceProcess } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  expectAlertSet,
  expectReady,
  expectedAlerts,
  hostLines,
  indexedAlerts,
  interleave,
  logLines,
  readTopic,
  sleep,
  TopicWriter,
  ZONE,
  type StreamRecord,
} from './fault-helpers';

/** Records each instance ran through its pipeline, by partition (from its "chunk done" debug lines). */
function processedByPartition(logs: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const l of logLines(logs)) {
    if (l.msg !== 'chunk done') continue;
    const p = l.partition as number;
    out.set(p, (out.get(p) ?? 0) + (l.records as number));
  }
  return out;
}

/** The partitions of `topic` each "joined consumer group" line assigned, in order. */
function assignments(logs: string, topic: string): number[][] {
  return logLines(logs)
    .filter((l) => l.msg === 'joined consumer group')
    .map((l) => ((l.assignment as Record<string, number[]>)[topic] ?? []).slice().sort());
}

/**
 * Scaling out and back in under load: a second instance joins the group while records stream in (3
 * partitions, records keyed by host), takes partitions and processes records, then leaves with SIGTERM
 * (exit 0) while records still stream in; the first instance takes everything back. Afterwards the alert
 * set is exact and nothing was dead-lettered.
 */
describe('fault: a second instance joins and leaves under load', () => {
  const run = useScenario('fault-scale', { partitions: 3 });
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  // the load: six hosts over three partitions, written in slices while the instances come and go
  const load = interleave(
    hostLines('openssh', 'labsz-1'),
    hostLines('linux', 'combo-1'),
    hostLines('openssh', 'labsz-2'),
    hostLines('web01', 'web01'),
    hostLines('linux', 'combo-2'),
    hostLines('openssh', 'labsz-3'),
    hostLines('linux', 'combo-3'),
    hostLines('web01', 'web02'),
    hostLines('openssh', 'labsz-4'),
  );
  // hosts whose evidence arrives once the group is down to one member again
  const after = interleave(hostLines('openssh', 'labsz-after'), hostLines('web01', 'web-after'));
  const start = (): ServiceProcess =>
    run.start({ TUXWATCH_TIMEZONE: ZONE, TUXWATCH_BATCH_SIZE: '50', LOG_LEVEL: 'debug' });

  it('shares the partitions, hands them back, and the alert set is exact', async () => {
    const writer = new TopicWriter(kafka, topic, 3);
    // every partition carries hosts with alerts
    const partitionsOf = (records: StreamRecord[]): Set<number> =>
      new Set(records.map((r) => writer.partitionOf(r.key)));
    expect(partitionsOf(load).size).toBe(3);
    const expected = expectedAlerts([...load, ...after], observedAt);

    // the producer keeps writing slices of the load for the whole join/leave sequence
    const slices = 12;
    let written = 0;
    let producing = true;
    const producer = (async () => {
      for (let s = 0; s < slices; s++) {
        const part = load.slice(
          Math.floor((s * load.length) / slices),
          Math.floor(((s + 1) * load.length) / slices),
        );
        await writer.write(part, observedAt);
        written += part.length;
        await sleep(1_500);
      }
      producing = false;
    })();

    const a = start();
    await expectReady(a, 60_000);
    await waitFor(async () => (await committedTotal(groupId, topic, kafka)) > 0, {
      timeoutMs: 30_000,
      message: `the first instance committing\n${tail(a.logs)}`,
    });

    // B joins while records arrive
    const b = start();
    await waitFor(() => assignments(b.logs, topic).some((p) => p.length > 0), {
      timeoutMs: 60_000,
      message: `the second instance to get partitions\n${tail(b.logs)}`,
    });
    await waitFor(() => [...processedByPartition(b.logs).values()].some((n) => n > 0), {
      timeoutMs: 60_000,
      message: `the second instance to process records\n${tail(b.logs)}`,
    });
    expect(producing, 'B joined while the load was still arriving').toBe(true);

    // ... and leaves again, still under load
    b.kill('SIGTERM');
    const bExit = await b.exited;
    expect(bExit.code, tail(b.logs)).toBe(0);
    expect(producing, 'B left while the load was still arriving').toBe(true);
    await producer;
    expect(written).toBe(load.length);

    // A owns all three partitions again
    await waitFor(
      () => assignments(a.logs, topic).at(-1)?.length === 3 && assignments(a.logs, topic).length >= 3,
      {
        timeoutMs: 60_000,
        message: `the first instance to take every partition back\n${tail(a.logs)}`,
      },
    );
    await run.allCommitted(writer.total, { timeoutMs: 120_000, logs: () => a.logs });

    // the group is stable with one member: evidence of new hosts now is read whole by A
    await writer.write(after, observedAt);
    await writer.expectOnBroker();
    await run.allCommitted(writer.total, { timeoutMs: 60_000, logs: () => a.logs });

    const found = await indexedAlerts(run.es, `${indexPrefix}*`);
    const byA = processedByPartition(a.logs);
    const byB = processedByPartition(b.logs);
    // read whole: the hosts that came after B left, and those of a partition only one instance ever
    // processed, each record once
    const whole = new Set(after.map((r) => r.key));
    for (let p = 0; p < 3; p++) {
      const size = writer.placed.filter((r) => r.partition === p).length;
      const counts = [byA.get(p) ?? 0, byB.get(p) ?? 0].filter((n) => n > 0);
      if (counts.length === 1 && counts[0] === size) {
        for (const r of writer.placed) if (r.partition === p) whole.add(r.key);
      }
    }
    const split = expectAlertSet(found, expected, whole);
    console.info(
      `second instance: A joins ${JSON.stringify(assignments(a.logs, topic))}, B joins ${JSON.stringify(assignments(b.logs, topic))}; ` +
        `records A ${JSON.stringify([...byA])}, B ${JSON.stringify([...byB])}; ${found.length} alerts; ` +
        `correlations not compared for: ${split.join(' ')}`,
    );
    // both did work: B had partitions and processed records of them, A processed records of all three
    expect([...byB.values()].reduce((n, v) => n + v, 0)).toBeGreaterThan(0);
    expect(byA.size).toBe(3);
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await expectReady(a);
    await a.stop();
    expect((await a.exited).code).toBe(0);
  });
});
