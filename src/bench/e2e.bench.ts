import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { BenchResult } from './bench-result';

export interface E2eBenchOptions {
  readonly repo: string;
  readonly brokers: string[];
  readonly elasticsearchUrl: string;
  /** real log lines replayed as records */
  readonly evidence: string[];
  readonly records: number;
}

/**
 * Records/s through the whole service — Kafka in, parse, enrich, detect, Elasticsearch out, offsets
 * committed — on this machine: a topic is filled with real log lines keyed by ten hosts, then `tuxwatch
 * serve` is started and timed from joining the group until every offset is committed.
 */
export async function e2eBench(o: E2eBenchOptions): Promise<BenchResult> {
  const stamp = Date.now().toString(36);
  const topic = `bench-e2e-${stamp}`;
  const kafka = new Kafka({ clientId: 'tuxwatch-bench', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const lines = o.evidence.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.trim() !== '');
  const producer = kafka.producer();
  await producer.connect();
  for (let sent = 0; sent < o.records; sent += 5000) {
    const messages = [];
    for (let i = sent; i < Math.min(sent + 5000, o.records); i++) {
      messages.push({
        key: `host-${i % 10}`,
        value: lines[i % lines.length]!,
        headers: { timezone: 'Europe/Berlin' },
      });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();

  const groupId = `bench-${stamp}`;
  const service = spawn(process.execPath, [resolve(o.repo, 'dist', 'cli.js'), 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: o.brokers.join(','),
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: `${topic}-dead`,
      KAFKA_STATE_TOPIC: `${topic}-state`,
      ELASTICSEARCH_URL: o.elasticsearchUrl,
      TUXWATCH_ALERT_INDEX_PREFIX: `tuxwatch-alerts-bench-${stamp}-`,
      TUXWATCH_HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      ...(process.env.TUXWATCH_BATCH_SIZE && { TUXWATCH_BATCH_SIZE: process.env.TUXWATCH_BATCH_SIZE }),
    },
    stdio: 'ignore',
  });
  const started = Date.now();
  let peakRss = 0;
  let committed = 0;
  // timed from the first commit: process start-up and the group join are not throughput
  let first: { at: number; committed: number } | undefined;
  try {
    while (committed < o.records) {
      if (Date.now() - started > 600_000)
        throw new Error(`only ${committed} of ${o.records} records done after 10 min`);
      await new Promise((r) => setTimeout(r, 250));
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      committed = (entry?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      if (first === undefined && committed > 0) first = { at: Date.now(), committed };
      peakRss = Math.max(peakRss, rssMb(service.pid));
    }
  } finally {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await admin.deleteTopics({ topics: [topic, `${topic}-dead`, `${topic}-state`] }).catch(() => undefined);
    await admin.disconnect();
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    bench: 'e2e',
    events_per_s: Math.round(o.records / seconds),
    rss_mb: peakRss,
    records: o.records,
    seconds,
  };
}

/** Resident memory of a process, from /proc (0 where there is none). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const r = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const kb = /VmRSS:\s+(\d+)/.exec(r.stdout ?? '')?.[1];
  return kb ? Math.round(Number(kb) / 1024) : 0;
}
