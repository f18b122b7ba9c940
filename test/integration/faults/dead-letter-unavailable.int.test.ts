import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusLines } from '../../support/corpus';
import { committedTotal, createTopics, withAdmin } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { healthPort, tail } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  expectReady,
  expectedAlerts,
  hostLines,
  idsAndCounts,
  indexedAlerts,
  interleave,
  logLines,
  produce,
  readTopic,
  sleep,
  ZONE,
} from './fault-helpers';

/** Longer than the consumer's session timeout (30 s): only heartbeats during the wait keep the member. */
const OUTAGE_MS = 45_000;
const MAX_RECORD_BYTES = 4096;

/**
 * The dead-letter topic deleted under a running service while evidence with unreadable records arrives.
 * (`min.insync.replicas=2` on the replication-factor-1 topic would be the gentler fault, but Kafka 4.3 lets
 * acks=all writes through there, so this single broker cannot refuse them that way.) The service must hold
 * the partition at the first record it cannot dead-letter: commit nothing past it, drop nothing, keep its
 * group membership, stay live and say it is not ready. Once the topic is back: exactly `scan`'s alerts in
 * Elasticsearch, exactly the bad records in the dead-letter topic (each once, with reason and source
 * headers), every offset committed, the service ready again.
 */
describe('fault: dead-letter topic unavailable', () => {
  const run = useScenario('fault-dlq');
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  const good = interleave(hostLines('openssh'), hostLines('web01'));
  const auth = corpusLines('web01', 'auth.log');
  // unreadable records made from the real evidence, as a broken shipper would send them
  const bad: { value: Buffer; why: RegExp }[] = [
    // a line cut off mid-write
    { value: Buffer.from(auth[1]!.slice(0, 11)), why: /^no parser recognises this record$/ },
    // a whole block of the log sent as one record, over the service's limit
    {
      value: Buffer.from(auth.join('\n').slice(0, MAX_RECORD_BYTES * 2)),
      why: /^record of \d+ bytes exceeds the limit of 4096$/,
    },
    // the rotated, compressed log shipped as if it were a line
    { value: gzipSync(auth.join('\n')), why: /^no parser recognises this record$/ },
  ];
  // among the good records, the first well after the start (the offsets before it commit), the last at the end
  const dead = (b: number) => ({ key: 'web01', value: bad[b]!.value, bad: bad[b] });
  const stream: { key: string; value: string | Buffer; bad?: (typeof bad)[number] }[] = [
    ...good.slice(0, 600),
    dead(0),
    ...good.slice(600, 1200),
    dead(1),
    ...good.slice(1200),
    dead(2),
  ];
  const firstBad = stream.findIndex((r) => r.bad);

  it('holds the partition at the first record it cannot dead-letter, then writes each exactly once', async () => {
    const expected = expectedAlerts(good, observedAt);
    expect(expected.some((a) => a.correlation)).toBe(true);
    expect(stream.filter((r) => r.bad)).toHaveLength(bad.length);
    expect(firstBad).toBe(600);

    const service = run.start({
      TUXWATCH_TIMEZONE: ZONE,
      TUXWATCH_BATCH_SIZE: '100',
      TUXWATCH_MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
    });
    let exited = false;
    void service.exited.then(() => (exited = true));
    await expectReady(service, 60_000);
    const port = healthPort(service.logs);
    const status = async (path: string): Promise<number> =>
      (await fetch(`http://127.0.0.1:${port}${path}`)).status;

    // the dead-letter topic goes away (the service created it only at start); then the evidence arrives
    await withAdmin((admin) => admin.deleteTopics({ topics: [deadLetterTopic], timeout: 30_000 }), kafka);
    await waitFor(
      async () => !(await withAdmin((admin) => admin.listTopics(), kafka)).includes(deadLetterTopic),
      { timeoutMs: 60_000, intervalMs: 500, message: `${deadLetterTopic} deleted` },
    );
    await produce(kafka, topic, stream, observedAt);

    const warning =
      'dead-letter topic cannot be written; holding the partition, nothing committed past it, retrying';
    await waitFor(() => logLines(service.logs).some((l) => l.msg === warning), {
      timeoutMs: 120_000,
      intervalMs: 500,
      message: `the dead-letter outage in the log\n${tail(service.logs)}`,
    });
    await waitFor(async () => (await status('/health/ready')) === 503, {
      timeoutMs: 30_000,
      intervalMs: 500,
      message: `/health/ready 503 while dead letters cannot be written\n${tail(service.logs)}`,
    });
    const downAt = Date.now();
    const commits: number[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      await sleep(5_000);
      commits.push(await committedTotal(groupId, topic, kafka));
      expect(await status('/health/live')).toBe(200);
      expect(await status('/health/ready')).toBe(503);
    }

    // the chunks before the first bad record were committed; nothing past it, and the position held
    expect(commits[0]).toBeGreaterThan(0);
    for (const c of commits) expect(c).toBeLessThanOrEqual(firstBad);
    expect(new Set(commits).size, `committed offsets during the outage: ${commits.join(', ')}`).toBe(1);
    expect(exited).toBe(false);
    const during = logLines(service.logs);
    expect(
      during.filter((l) => l.msg === warning),
      'one warning for the whole outage',
    ).toHaveLength(1);
    const reason = String(during.find((l) => l.msg === warning)!.reason);
    expect(reason).toMatch(/UNKNOWN_TOPIC_OR_PARTITION|LEADER_NOT_AVAILABLE|KafkaJSTopicMetadataNotLoaded/);
    expect(await metric(port, 'tuxwatch_dead_letter_send_retries_total')).toBeGreaterThan(0);
    expect(await metric(port, 'tuxwatch_records_dead_lettered_total')).toBe(0);

    // the topic is back
    await createTopics([deadLetterTopic], kafka);
    await run.allCommitted(stream.length, { timeoutMs: 180_000, logs: () => service.logs });

    const found = await indexedAlerts(run.es, `${indexPrefix}*`);
    expect(idsAndCounts(found)).toEqual(idsAndCounts(expected));

    const letters = (await readTopic(kafka, deadLetterTopic))
      .map((m) => ({
        value: m.value ?? Buffer.alloc(0),
        key: m.key?.toString(),
        reason: m.headers?.['tuxwatch.reason']?.toString() ?? '',
        topic: m.headers?.['tuxwatch.source.topic']?.toString(),
        partition: m.headers?.['tuxwatch.source.partition']?.toString(),
        offset: Number(m.headers?.['tuxwatch.source.offset']?.toString()),
      }))
      .sort((a, b) => a.offset - b.offset);
    const wantOffsets = stream.flatMap((r, i) => (r.bad ? [i] : []));
    expect(
      letters.map((d) => d.offset),
      'each bad record dead-lettered once',
    ).toEqual(wantOffsets);
    letters.forEach((d, i) => {
      const record = stream[wantOffsets[i]!]!;
      expect(d.value.equals(Buffer.from(record.value))).toBe(true);
      expect(d.reason).toMatch(record.bad!.why);
      expect(d.key).toBe('web01');
      expect(d.topic).toBe(topic);
      expect(d.partition).toBe('0');
    });

    await expectReady(service);
    const after = logLines(service.logs);
    expect(after.filter((l) => l.msg === 'dead-letter topic writable again')).toHaveLength(1);
    // one process, one group membership from start to end: the wait cost no session and no crash
    expect(
      after.filter((l) => l.msg === 'joined consumer group'),
      tail(service.logs),
    ).toHaveLength(1);
    expect(service.logs).not.toMatch(/consumer crashed/);
    expect(await metric(port, 'tuxwatch_records_dead_lettered_total')).toBe(bad.length);

    await service.stop();
    expect((await service.exited).code).toBe(0);
    // the sum of the waits above, on a busy machine; a healthy run takes 1 to 1.5 minutes
  }, 600_000);
});

/** A counter's value from /metrics (summed over its labels). */
async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const values = [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'gm'))];
  return values.reduce((n, m) => n + Number(m[1]), 0);
}
