import { Kafka, logLevel } from 'kafkajs';
import { round, type BenchResult } from './bench-result';
import { BenchService, benchTopics, committedRecords, sleep } from './bench-service';
import type { StackBenchOptions } from './e2e.bench';
import { producePaced } from './paced-producer';
import { ReplayStream } from './replay-stream';

const SAMPLE_MS = 5_000;

/**
 * Memory over a long run: the replay stream is produced at a steady rate for `seconds` while the service's
 * resident memory is sampled every five seconds. The first tenth of the run (at least 30 s when the run
 * is long enough) is warm-up — the JIT, the heap growing to its working size — and is left out of the
 * slope: the least-squares line through the remaining samples, in MB per minute. "Flat" is a slope near
 * zero; a leak shows as a steady positive one. The lag at the end says whether the service kept up.
 */
export async function soakBench(
  o: StackBenchOptions & { readonly rate: number; readonly seconds: number },
): Promise<BenchResult> {
  const stamp = Date.now().toString(36);
  const topic = `bench-soak-${stamp}`;
  const groupId = `bench-${stamp}`;
  const kafka = new Kafka({ clientId: 'tuxwatch-bench', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const service = new BenchService({
    ...o,
    topic,
    groupId,
    alertIndexPrefix: `tuxwatch-alerts-bench-${stamp}-`,
  });
  const samples: { s: number; mb: number }[] = [];
  const started = Date.now();
  const sampler = setInterval(() => {
    const mb = service.rssMb();
    if (mb > 0) samples.push({ s: (Date.now() - started) / 1000, mb });
  }, SAMPLE_MS);
  try {
    const run = await producePaced(
      producer,
      topic,
      new ReplayStream(o.evidence, o.verbatim),
      o.rate,
      o.seconds,
    );
    clearInterval(sampler);
    service.assertRunning();
    // what the service had not committed when production stopped, and whether it catches up in 30 s
    const lagAtEnd = run.sent - (await committedRecords(admin, groupId, topic));
    let committed = 0;
    for (let waited = 0; waited < 30_000; waited += 500) {
      committed = await committedRecords(admin, groupId, topic);
      if (committed >= run.sent) break;
      await sleep(500);
    }
    const warmup = Math.min(Math.max(o.seconds / 10, 30), o.seconds / 3);
    const steady = samples.filter((x) => x.s >= warmup);
    if (steady.length < 2) throw new Error(`too few RSS samples after warm-up (${steady.length})`);
    return {
      bench: 'soak',
      events_per_s: Math.round(run.sent / run.seconds),
      rss_mb: round(Math.max(...samples.map((x) => x.mb)), 1),
      rss_start_mb: round(steady[0]!.mb, 1),
      rss_end_mb: round(steady[steady.length - 1]!.mb, 1),
      rss_peak_mb: round(Math.max(...steady.map((x) => x.mb)), 1),
      rss_slope_mb_per_min: round(slopePerS(steady) * 60, 2),
      warmup_s: warmup,
      samples: steady.length,
      seconds: run.seconds,
      lag_at_end: lagAtEnd,
      uncommitted_30s_later: run.sent - committed,
      replay: o.verbatim ? 'verbatim' : 'shifted',
    };
  } finally {
    clearInterval(sampler);
    await service.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: benchTopics(topic) }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Least-squares slope of MB over seconds. */
function slopePerS(points: readonly { s: number; mb: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.s, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.s - mx) * (p.mb - my);
    den += (p.s - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
