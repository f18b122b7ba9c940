/**
 * web01's evidence as a collector would put it on Kafka — every rsyslog JSON record (omkafka's
 * `RSYSLOG_StdJSONFmt`-like template, the shared corpus's all-rsyslog.jsonl) and the AIDE JSON report as one
 * message, keyed by the host — and the alerts `tuxwatch scan` on the host raises from the same records: what
 * a container reading them must index, `_id` for `event.id`.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { ndjson, tuxwatch } from '../support/cli';
import { corpusLines, corpusPath } from '../support/corpus';
import { readFileSync } from 'node:fs';

export const HOST = 'web01';
const RSYSLOG = corpusPath(HOST, 'all-rsyslog.jsonl');
const AIDE = corpusPath(HOST, 'aide-report.json');

/** The message values, in the order a host's collector sends them: its log records, then the AIDE run. */
export function web01Messages(): string[] {
  return [...corpusLines(HOST, 'all-rsyslog.jsonl'), readFileSync(AIDE, 'utf8')];
}

/** Where the stream is cut for the stop/kill tests: just after toor is created with UID 0 (an alert). */
export function cutAfterToor(messages: string[]): number {
  const i = messages.findIndex((m) => m.includes('name=toor'));
  if (i < 0) throw new Error('no toor record in web01 evidence');
  return i + 1;
}

/** `event.id`s of the alerts `tuxwatch scan` raises on the host from the same records. */
export function expectedAlertIds(): string[] {
  const run = tuxwatch(['scan', '--host', HOST, RSYSLOG, AIDE]);
  if (run.status !== 0) throw new Error(`host scan failed (${run.status}): ${run.stderr}`);
  return ndjson<{ event: { id: string } }>(run.stdout)
    .map((a) => a.event.id)
    .sort();
}

/** Produces messages with the host as key, one send each (the service then sees many small fetches). */
export async function produce(kafka: Kafka, topic: string, messages: string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const value of messages) await producer.send({ topic, messages: [{ key: HOST, value }] });
  } finally {
    await producer.disconnect();
  }
}

/** `_id`s of every document in the scenario's alert indices (after a refresh), sorted. */
export async function indexedAlertIds(es: Client, indexPrefix: string): Promise<string[]> {
  const index = `${indexPrefix}*`;
  await es.indices.refresh({ index, allow_no_indices: true, ignore_unavailable: true });
  const res = await es.search({
    index,
    allow_no_indices: true,
    ignore_unavailable: true,
    _source: false,
    size: 1000,
    query: { match_all: {} },
  });
  return res.hits.hits.map((h) => h._id!).sort();
}
