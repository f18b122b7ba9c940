import type { RawRecord } from '../domain/raw-record';
import type { Judged, Unseen, WorkRequest } from './batch-parser';

/**
 * What a worker sends back for a request: which records matter, and for a chunk (whose records only the
 * worker has) those records as plain arrays, which cross threads far cheaper than objects. Their events are
 * not sent: parsing a kept record again on the main thread costs it less than taking a clone of its events
 * (and the worker less than making one).
 */
export interface WorkResult {
  readonly seq: number;
  readonly read: number;
  /** the kept records' indexes in the request (a batch of records) */
  readonly kept: readonly number[];
  /** a chunk's kept records, in order */
  readonly lines?: KeptLines;
  readonly unseen: Unseen;
}

/** Records of a chunk as columns: text, line number, size in bytes, and the few that carry more. */
export interface KeptLines {
  readonly texts: readonly string[];
  readonly lines: readonly number[];
  readonly bytes: readonly number[];
  readonly special: Readonly<Record<number, Pick<RawRecord, 'truncated' | 'base64'>>>;
}

export function workResult(request: WorkRequest, judged: Judged): WorkResult {
  const base = { seq: request.seq, read: judged.read, kept: judged.kept, unseen: judged.unseen };
  if (request.chunk === undefined) return base;
  const texts: string[] = [];
  const lines: number[] = [];
  const bytes: number[] = [];
  const special: Record<number, Pick<RawRecord, 'truncated' | 'base64'>> = {};
  for (const i of judged.kept) {
    const record = judged.records[i]!;
    const at = texts.length;
    texts.push(record.text);
    lines.push(record.origin.type === 'file' ? record.origin.line : 0);
    bytes.push(record.bytes ?? record.text.length);
    if (record.truncated === true || record.base64 !== undefined)
      special[at] = {
        ...(record.truncated === true && { truncated: true }),
        ...(record.base64 !== undefined && { base64: record.base64 }),
      };
  }
  return { ...base, lines: { texts, lines, bytes, special } };
}

/**
 * A chunk's kept record as the main thread rebuilds it: the record readRecordBatches would have made of
 * the same line (file-records.ts lineRecord), joined entries included.
 */
export function keptRecord(
  lines: KeptLines,
  i: number,
  chunk: { readonly path: string } & Pick<RawRecord, 'kind' | 'host' | 'timezone'>,
): RawRecord {
  const record: { -readonly [K in keyof RawRecord]: RawRecord[K] } = {
    text: lines.texts[i]!,
    origin: { type: 'file', path: chunk.path, line: lines.lines[i]! },
    kind: chunk.kind,
    host: chunk.host,
    timezone: chunk.timezone,
    bytes: lines.bytes[i]!,
  };
  const special = lines.special[i];
  if (special?.truncated === true) record.truncated = true;
  if (special?.base64 !== undefined) record.base64 = special.base64;
  return record;
}
