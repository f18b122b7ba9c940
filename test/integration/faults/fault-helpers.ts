/**
 * Shared pieces of the fault tests: the evidence stream, the expected alert set (computed by `tuxwatch scan`
 * over the very same lines), reading back what the service wrote (alert ids from Elasticsearch, the
 * dead-letter topic) and small service helpers.
 */
import type { Client } from '@elastic/elasticsearch';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { expect } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusLines } from '../../support/corpus';
import { createKafka, sendMessages } from '../../support/kafka';
import { uniqueName } from '../../support/names';
import { healthPort, tail, type ServiceProcess } from '../../support/service';
import { waitFor } from '../../support/wait';

/** The zone of every offset-less timestamp in these tests (web01 is a Berlin host; loghub has no zone). */
export const ZONE = 'Europe/Berlin';

/** One Kafka message of the test stream: key = the record's host name. */
export interface StreamRecord {
  readonly key: string;
  readonly value: string;
}

/** Real lines of one host, optionally renamed (a copy of a log under another host name). */
export function hostLines(file: 'web01' | 'linux' | 'openssh', host?: string): StreamRecord[] {
  const [path, original] =
    file === 'web01'
      ? [['web01', 'auth.log'], 'web01']
      : file === 'linux'
        ? [['loghub', 'Linux_2k.log'], 'combo']
        : [['loghub', 'OpenSSH_2k.log'], 'LabSZ'];
  const name = host ?? original;
  return corpusLines(...path).map((line) => {
    // the host name is the fourth field of a traditional syslog line: "Mon dd hh:mm:ss host ..."
    const value = host === undefined ? line : line.replace(/^(\w{3} +\d+ [\d:]+ )\S+/, `$1${host}`);
    return { key: name, value };
  });
}

/**
 * Interleaves streams as their hosts would write them concurrently: each stream keeps its own order and is
 * spread evenly over the whole, so a short stream (web01) lands at several offsets among the long ones.
 */
export function interleave(...streams: StreamRecord[][]): StreamRecord[] {
  const total = streams.reduce((n, s) => n + s.length, 0);
  const cursor = streams.map(() => 0);
  const out: StreamRecord[] = [];
  while (out.length < total) {
    // the stream furthest behind its even share goes next
    let best = -1;
    let bestLag = -Infinity;
    streams.forEach((s, i) => {
      if (cursor[i]! >= s.length) return;
      const lag = (out.length + 1) / total - cursor[i]! / s.length;
      if (lag > bestLag) {
        bestLag = lag;
        best = i;
      }
    });
    out.push(streams[best]![cursor[best]!]!);
    cursor[best]!++;
  }
  return out;
}

/**
 * A record's text as an alert's `event.original` holds it: without the line ending (loghub's lines end in
 * CRLF; the records keep the CR, as a shipper reading the file would send it).
 */
export const recordText = (value: string): string => value.trimEnd();

/** Index of the first record of `records` behind one of `alerts` (-1: none). */
export function firstAlerting(
  records: readonly StreamRecord[],
  alerts: readonly { original: string }[],
): number {
  const alerting = new Set(alerts.map((a) => recordText(a.original)));
  return records.findIndex((r) => alerting.has(recordText(r.value)));
}

export interface ExpectedAlert {
  readonly id: string;
  readonly ruleId: string;
  readonly original: string;
  readonly host: string;
  readonly timestamp: string;
  /** a correlation alert (made from several records, by state the process keeps in memory) */
  readonly correlation: boolean;
  /** repeats of the finding folded into it (`tuxwatch.alert.count`) */
  readonly count: number;
}

/**
 * The alerts `tuxwatch scan` finds in exactly these records, read as the service reads them: same zone, and
 * the year anchored at `observedAt` (the file's mtime there, the message timestamp here). Returns each
 * distinct alert id once (a stream repeating a record repeats its alert id).
 */
export function expectedAlerts(records: readonly StreamRecord[], observedAt: Date): ExpectedAlert[] {
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-faults-'));
  try {
    const file = join(dir, 'stream.log');
    writeFileSync(file, records.map((r) => r.value).join('\n') + '\n');
    utimesSync(file, observedAt, observedAt);
    const run = tuxwatch(['scan', '--timezone', ZONE, '--format', 'ndjson', file]);
    if (run.status !== 0) throw new Error(`scan failed (${run.status}): ${run.stderr}`);
    if (/could not be parsed/.test(run.stderr)) {
      // every line of this evidence parses; a change there would silently shrink the expected set
      throw new Error(`scan reported problems: ${run.stderr}`);
    }
    const byId = new Map<string, ExpectedAlert>();
    for (const a of ndjson<ScanAlert>(run.stdout)) {
      byId.set(a.event.id, {
        id: a.event.id,
        ruleId: a.rule.id,
        original: a.event.original,
        host: a.host.name,
        timestamp: a['@timestamp'],
        correlation: a.tuxwatch?.related?.count !== undefined,
        count: a.tuxwatch?.alert?.count ?? 1,
      });
    }
    return [...byId.values()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ScanAlert {
  '@timestamp': string;
  event: { id: string; original: string };
  rule: { id: string };
  host: { name: string };
  tuxwatch?: { related?: { count?: number }; alert?: { count?: number } };
}

export interface IndexedAlert {
  readonly id: string;
  readonly index: string;
  readonly ruleId: string;
  readonly original: string;
  readonly host: string;
  /** a correlation alert (it counts the records it was made from) */
  readonly correlation: boolean;
  /** `tuxwatch.alert.count` */
  readonly count: number;
}

/** Every alert document under `indexPattern`, with its `_id` (after a refresh). */
export async function indexedAlerts(es: Client, indexPattern: string): Promise<IndexedAlert[]> {
  await es.indices.refresh({ index: indexPattern, allow_no_indices: true, ignore_unavailable: true });
  const res = await es.search<{
    rule: { id: string };
    event: { original: string };
    host: { name: string };
    tuxwatch?: { related?: { count?: number }; alert?: { count?: number } };
  }>({
    index: indexPattern,
    allow_no_indices: true,
    ignore_unavailable: true,
    size: 10_000,
    track_total_hits: true,
    _source: ['rule.id', 'event.original', 'host.name', 'tuxwatch.related.count', 'tuxwatch.alert.count'],
    query: { match_all: {} },
  });
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  if (total > 10_000) throw new Error(`${total} alerts: more than one page`);
  return res.hits.hits.map((h) => ({
    id: h._id!,
    index: h._index,
    ruleId: h._source!.rule.id,
    original: h._source!.event.original,
    host: h._source!.host.name,
    correlation: h._source!.tuxwatch?.related?.count !== undefined,
    count: h._source!.tuxwatch?.alert?.count ?? 1,
  }));
}

/** Alert ids, sorted, for exact comparisons with readable diffs. */
export const ids = (alerts: readonly { id: string }[]): string[] => alerts.map((a) => a.id).sort();

/**
 * Alert ids with their fold counts ("id ×n"), sorted: within one process's life the service promises the
 * counts `scan` gives, not only the alerts.
 */
export const idsAndCounts = (alerts: readonly { id: string; count: number }[]): string[] =>
  alerts.map((a) => `${a.id} ×${a.count}`).sort();

/**
 * Sends the records in order, `perSend` messages per produce request, each with the time it was observed at.
 * Values may be bytes: the unreadable records of a stream.
 */
export async function produce(
  kafka: Kafka,
  topic: string,
  records: readonly { readonly key: string; readonly value: string | Buffer }[],
  timestamp: Date,
  perSend = 250,
): Promise<void> {
  const messages = records.map((r) => ({
    key: r.key,
    value: r.value,
    timestamp: String(timestamp.getTime()),
  }));
  await sendMessages(kafka, topic, messages, perSend);
}

/** Every message of `topic` (all partitions, from the beginning up to the current end). */
export async function readTopic(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  if (total === 0) return [];
  const consumer = kafka.consumer({ groupId: uniqueName('fault-reader') });
  const got: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message) });
    await waitFor(() => got.length >= total, { timeoutMs: 30_000, message: `${total} messages of ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Waits until the service answers /health/ready with 200. */
export async function expectReady(service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const port = await waitFor(() => (/"healthPort":(\d+)/.test(service.logs) ? healthPort(service.logs) : 0), {
    timeoutMs,
    message: `the service to log its health port\n${tail(service.logs)}`,
  });
  const ready = await waitFor(
    async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
    { timeoutMs, intervalMs: 500, message: `/health/ready 200\n${tail(service.logs)}` },
  );
  expect(ready).toBe(true);
}

/** The service's JSON log lines. */
export function logLines(logs: string): Record<string, unknown>[] {
  return logs
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** A kafkajs client on the shared broker (or on `brokers`). */
export function faultKafka(name: string, brokers?: string[]): Kafka {
  return createKafka(name, brokers ? { brokers } : {});
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A record with where it landed. */
export interface PlacedRecord extends StreamRecord {
  readonly partition: number;
  readonly offset: number;
}

/**
 * Writes records to a fresh topic keeping track of where each one lands: a host's records always go to the
 * same partition (hosts are dealt round-robin over the partitions in the order they first appear, so a few
 * hosts cover every partition), and offsets count up per partition from 0.
 */
export class TopicWriter {
  private readonly next = new Map<number, number>();
  private readonly partitionOfHost = new Map<string, number>();
  readonly placed: PlacedRecord[] = [];

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    readonly partitions: number,
  ) {}

  partitionOf(host: string): number {
    let p = this.partitionOfHost.get(host);
    if (p === undefined) {
      p = this.partitionOfHost.size % this.partitions;
      this.partitionOfHost.set(host, p);
    }
    return p;
  }

  async write(records: readonly StreamRecord[], timestamp: Date, perSend = 250): Promise<PlacedRecord[]> {
    const placed = records.map((r) => {
      const partition = this.partitionOf(r.key);
      const offset = this.next.get(partition) ?? 0;
      this.next.set(partition, offset + 1);
      return { ...r, partition, offset };
    });
    const messages = placed.map((r) => ({
      key: r.key,
      value: r.value,
      partition: r.partition,
      timestamp: String(timestamp.getTime()),
    }));
    await sendMessages(this.kafka, this.topic, messages, perSend);
    this.placed.push(...placed);
    return placed;
  }

  /** Records written so far. */
  get total(): number {
    return this.placed.length;
  }

  /** Checks that the broker holds exactly what was counted (no retried send wrote a record twice). */
  async expectOnBroker(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topic);
      const want = [...Array(this.partitions).keys()].map((p) => ({
        partition: p,
        high: String(this.next.get(p) ?? 0),
      }));
      expect(
        ends.map((e) => ({ partition: e.partition, high: e.high })).sort((a, b) => a.partition - b.partition),
      ).toEqual(want);
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * The hosts whose records one process read from first to last without interruption, given the committed
 * offsets at the moment of a disruption (a kill, a stop, a broker restart): every record of the host lies
 * before the committed position of its partition. Correlation alerts of such a host do not depend on how
 * the disruption fell.
 */
export function hostsDoneBefore(
  placed: readonly PlacedRecord[],
  committed: Map<number, string>,
): Set<string> {
  const straddling = new Set<string>();
  const hosts = new Set<string>();
  for (const r of placed) {
    hosts.add(r.key);
    if (r.offset >= Number(committed.get(r.partition) ?? -1)) straddling.add(r.key);
  }
  return new Set([...hosts].filter((h) => !straddling.has(h)));
}

/**
 * The alert set after a disruption, as exact as the service can make it:
 * - alerts of single-record rules: exactly `scan`'s, for every host (ids, so each exactly once);
 * - correlation alerts: exactly `scan`'s for `wholeHosts` (hosts one process read whole, in order).
 * Correlation windows live in the memory of the process that reads a host's partition: a host whose
 * records were split by a crash, a restart or a rebalance is counted from where the new reader started, so
 * its correlation alerts can legitimately differ from a single pass over the file. Returns the hosts whose
 * correlation alerts were not compared, for the test's log.
 */
export function expectAlertSet(
  found: readonly IndexedAlert[],
  expected: readonly ExpectedAlert[],
  wholeHosts: ReadonlySet<string>,
): string[] {
  const single = (a: { correlation: boolean }): boolean => !a.correlation;
  expect(ids(found.filter(single)), 'alerts of single-record rules').toEqual(ids(expected.filter(single)));
  const whole = (a: { correlation: boolean; host: string }): boolean =>
    a.correlation && wholeHosts.has(a.host);
  const wantWhole = expected.filter(whole);
  // the check must have something to check
  expect(wantWhole.length, 'correlation alerts of hosts read whole').toBeGreaterThan(0);
  expect(ids(found.filter(whole)), `correlation alerts of ${[...wholeHosts].join(', ')}`).toEqual(
    ids(wantWhole),
  );
  const all = new Set([...expected.map((a) => a.host), ...found.map((a) => a.host)]);
  return [...all].filter((h) => !wholeHosts.has(h)).sort();
}

/** The same as `ids` but grouped by host, for failure messages. */
export function countByHost(alerts: readonly { host: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of alerts) out[a.host] = (out[a.host] ?? 0) + 1;
  return out;
}

/** The hosts none of whose records lie before the committed position of their partition. */
export function hostsNotStartedBefore(
  placed: readonly PlacedRecord[],
  committed: Map<number, string>,
): Set<string> {
  const started = new Set<string>();
  const hosts = new Set<string>();
  for (const r of placed) {
    hosts.add(r.key);
    if (r.offset < Number(committed.get(r.partition) ?? -1)) started.add(r.key);
  }
  return new Set([...hosts].filter((h) => !started.has(h)));
}

/**
 * Hosts no cut splits: for each cut (the committed offsets when a process stopped), all of the host's
 * records lie before it or all after it, so one process read the host from its first record to its last.
 */
export function hostsNotSplit(
  placed: readonly PlacedRecord[],
  cuts: readonly Map<number, string>[],
): Set<string> {
  const before = new Map<string, Set<boolean>[]>();
  for (const r of placed) {
    const sides = before.get(r.key) ?? cuts.map(() => new Set<boolean>());
    cuts.forEach((c, i) => sides[i]!.add(r.offset < Number(c.get(r.partition) ?? -1)));
    before.set(r.key, sides);
  }
  return new Set([...before].filter(([, sides]) => sides.every((s) => s.size === 1)).map(([h]) => h));
}

/**
 * Alerts whose record lies at or past the committed offset of its partition: work a stopped process did but
 * did not commit. `placed` maps each record to its position (a repeated line counts at its first position).
 */
export function alertsPastCommitted(
  found: readonly IndexedAlert[],
  placed: readonly PlacedRecord[],
  committed: Map<number, string>,
): IndexedAlert[] {
  const at = new Map<string, PlacedRecord>();
  for (const r of placed) if (!at.has(recordText(r.value))) at.set(recordText(r.value), r);
  return found.filter((a) => {
    const r = at.get(recordText(a.original));
    if (!r) throw new Error(`alert ${a.id} has no record in the stream: ${a.original}`);
    return r.offset >= Number(committed.get(r.partition) ?? -1);
  });
}
