import { Kafka, logLevel, type Message } from 'kafkajs';
import type { BenchResult } from './bench-result';
import { BenchService, benchTopics, sleep } from './bench-service';
import type { StackBenchOptions } from './e2e.bench';
import { HOSTS, producePaced } from './paced-producer';
import { ReplayStream, syslogTime } from './replay-stream';

const PROBES_PER_S = 20;
const WARMUP_S = 10;
const POLL_MS = 50;

/**
 * Event-to-alert latency at a fixed produce rate. While `tuxwatch serve` runs, the replay stream is produced
 * at `rate` records/s, and with it twenty probes a second: `useradd` lines of a new UID 0 account whose
 * name carries the probe's number, each one raising its own `new-uid0-account` alert (distinct entities,
 * so nothing folds) in this month's alert index (the probes' time is now; the replay's is months back).
 *
 * Method: a probe's produce time is its Kafka timestamp, stamped by the bench just before the send. Every
 * 50 ms the bench refreshes the probes' index and searches it for the probes still outstanding; the first
 * poll that finds a probe's alert is its arrival. Latency = found − produced: the time until the alert is
 * searchable, overstated by at most one poll (50 ms) and not including Elasticsearch's own refresh
 * interval (1 s by default), which the poll forces. (An ingest-pipeline timestamp would be exact, but the
 * local stack's Elasticsearch has no ingest processors.) `processed_p50_us`/`processed_p99_us` split off
 * the part until the service processed the record: the alert's `event.created` − produced.
 * Probes of the first ten seconds (start-up, the group join, catching up) are not counted.
 */
export async function latencyBench(
  o: StackBenchOptions & { readonly rate: number; readonly seconds: number },
): Promise<BenchResult> {
  const stamp = Date.now().toString(36);
  const topic = `bench-latency-${stamp}`;
  const prefix = `tuxwatch-alerts-bench-${stamp}-`;
  const index = `${prefix}${new Date().toISOString().slice(0, 7).replace('-', '.')}`;
  const es = elasticsearch(o.elasticsearchUrl);
  const kafka = new Kafka({ clientId: 'tuxwatch-bench', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const service = new BenchService({ ...o, topic, groupId: `bench-${stamp}`, alertIndexPrefix: prefix });
  /** counted probes not found yet: name → produce time */
  const outstanding = new Map<string, number>();
  const latencies: number[] = [];
  const processed: number[] = [];
  let counted = 0;
  let producing = true;
  const poll = async (): Promise<void> => {
    for (let idle = 0; producing || (outstanding.size > 0 && idle < 30_000); idle += POLL_MS) {
      await sleep(POLL_MS);
      if (outstanding.size === 0) continue;
      await es('POST', `/${index}/_refresh?ignore_unavailable=true`);
      const found = await es('POST', `/${index}/_search?ignore_unavailable=true`, {
        size: outstanding.size,
        _source: ['user.target.name', 'event.created'],
        query: { terms: { 'user.target.name': [...outstanding.keys()] } },
      });
      const seen = Date.now();
      for (const hit of (found.body as SearchBody | undefined)?.hits?.hits ?? []) {
        const name = hit._source.user?.target?.name ?? '';
        const at = outstanding.get(name);
        if (at === undefined) continue;
        outstanding.delete(name);
        latencies.push(seen - at);
        processed.push(Date.parse(hit._source.event?.created ?? '') - at);
        idle = 0;
      }
    }
  };
  try {
    let probe = 0;
    let started = 0;
    const probes = (producedAt: number): Message[] => {
      const due = Math.floor(((producedAt - started) / 1000) * PROBES_PER_S);
      const out: Message[] = [];
      for (; probe < due; probe++) {
        if (producedAt - started >= WARMUP_S * 1000) {
          outstanding.set(`probe-${probe}`, producedAt);
          counted++;
        }
        out.push({
          key: `host-${probe % HOSTS}`,
          // the probe's own time is now, in UTC: its alert lands in this month's index
          value:
            `${syslogTime(new Date(producedAt))} bench-probe useradd[4242]: new user: name=probe-${probe}, ` +
            'UID=0, GID=0, home=/root, shell=/bin/bash, from=none',
          headers: { timezone: 'UTC' },
        });
      }
      return out;
    };
    started = Date.now();
    const polling = poll();
    let run: { sent: number; seconds: number };
    try {
      run = await producePaced(
        producer,
        topic,
        new ReplayStream(o.evidence, o.verbatim),
        o.rate,
        WARMUP_S + o.seconds,
        probes,
      );
    } finally {
      producing = false;
      await polling;
    }
    service.assertRunning();
    const q = (values: number[], at: number): number => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * at))]! * 1000;
    };
    return {
      bench: 'latency',
      events_per_s: Math.round(run.sent / run.seconds),
      p50_us: q(latencies, 0.5),
      p99_us: q(latencies, 0.99),
      rss_mb: Math.round(service.rssMb()),
      max_ms: Math.max(...latencies),
      processed_p50_us: q(processed, 0.5),
      processed_p99_us: q(processed, 0.99),
      probes: counted,
      probes_missing: outstanding.size,
      poll_ms: POLL_MS,
      seconds: o.seconds,
      target_rate: o.rate,
      replay: o.verbatim ? 'verbatim' : 'shifted',
    };
  } finally {
    producing = false;
    await service.stop();
    await producer.disconnect();
    await admin.deleteTopics({ topics: benchTopics(topic) }).catch(() => undefined);
    await admin.disconnect();
  }
}

interface SearchBody {
  hits?: {
    hits: {
      _source: { user?: { target?: { name?: string } }; event?: { created?: string } };
    }[];
  };
}

/** A bare JSON-over-HTTP call to Elasticsearch: status and parsed body. */
function elasticsearch(url: string) {
  return async (method: string, path: string, body?: object): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(new URL(path, url), {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
}
