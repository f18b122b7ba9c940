import { Kafka, logLevel } from 'kafkajs';
import type { BenchResult } from './bench-result';
import { BenchService, benchTopics, committedRecords, sleep } from './bench-service';
import { produceAll } from './paced-producer';
import { ReplayStream } from './replay-stream';

export interface StackBenchOptions {
  readonly repo: string;
  readonly brokers: string[];
  readonly elasticsearchUrl: string;
  /** real log lines replayed as records */
  readonly evidence: string[];
  /** replay the lines with their own times, pass after pass (see ReplayStream) */
  readonly verbatim?: boolean;
}

/**
 * Sustained records/s through the whole service — Kafka in, parse, enrich, detect, Elasticsearch out,
 * offsets committed — on this machine: a 3-partition topic is filled with real log lines keyed by ten hosts,
 * then `tuxwatch serve` is started and polled until every offset is committed.
 *
 * `events_per_s` is timed from the first commit to the last: start-up (Nest, rule loading, the group join)
 * is not throughput. `events_per_s_from_spawn` counts from the process start, start-up included.
 */
export async function e2eBench(o: StackBenchOptions & { readonly records: number }): Promise<BenchResult> {
  const stamp = Date.now().toString(36);
  const topic = `bench-e2e-${stamp}`;
  const kafka = new Kafka({ clientId: 'tuxwatch-bench', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: Number(process.env.BENCH_PARTITIONS ?? 3) }],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  await produceAll(producer, topic, new ReplayStream(o.evidence, o.verbatim), o.records);
  await producer.disconnect();

  const groupId = `bench-${stamp}`;
  const service = new BenchService({
    ...o,
    topic,
    groupId,
    alertIndexPrefix: `tuxwatch-alerts-bench-${stamp}-`,
  });
  const spawned = Date.now();
  let peakRss = 0;
  let committed = 0;
  let first: { at: number; committed: number } | undefined;
  // the moment every offset was seen committed: the service's stop and the clean-up are not throughput
  let done = 0;
  try {
    while (committed < o.records) {
      if (Date.now() - spawned > 600_000)
        throw new Error(`only ${committed} of ${o.records} records done after 10 min`);
      await sleep(100);
      service.assertRunning();
      committed = await committedRecords(admin, groupId, topic);
      if (first === undefined && committed > 0) first = { at: Date.now(), committed };
      peakRss = Math.max(peakRss, service.rssMb());
    }
    done = Date.now();
  } finally {
    await service.stop();
    await admin.deleteTopics({ topics: benchTopics(topic) }).catch(() => undefined);
    await admin.disconnect();
  }
  const sustained = (o.records - first!.committed) / ((done - first!.at) / 1000);
  return {
    bench: 'e2e',
    events_per_s: Math.round(sustained),
    rss_mb: Math.round(peakRss),
    events_per_s_from_spawn: Math.round(o.records / ((done - spawned) / 1000)),
    records: o.records,
    seconds: (done - spawned) / 1000,
    startup_s: (first!.at - spawned) / 1000,
    replay: o.verbatim ? 'verbatim' : 'shifted',
  };
}
