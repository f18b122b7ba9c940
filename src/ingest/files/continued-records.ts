import type { RawRecord } from '../../domain/raw-record';
import type { ObservedRecord } from './file-records';

/** Whether `line` carries on `entry`, the record read so far (its first line and any lines joined to it). */
export type Continues = (entry: string, line: string) => boolean;

/**
 * Joins the lines of an entry that its writer wrapped over several lines (sudo's own log file) into one
 * record, as they sit next to each other in a file. The record keeps its lines and breaks exactly, for
 * `event.original` (its parser unwraps them), and the origin of its first line. It stops growing at
 * `maxRecordBytes`: a line that would take it past the limit, or a line that was cut or is not valid UTF-8,
 * is passed on as a record of its own, which the parse stage reads or dead-letters with its reason. Nothing
 * is dropped, and memory stays bounded.
 */
export async function* joinContinuations(
  records: AsyncIterable<ObservedRecord>,
  continues: Continues,
  maxRecordBytes: number,
): AsyncGenerator<ObservedRecord> {
  const single = async function* (): AsyncGenerator<ObservedRecord[]> {
    for await (const record of records) yield [record];
  };
  for await (const batch of joinContinuationBatches(single(), continues, maxRecordBytes)) yield* batch;
}

/** The same over batches of records: an entry wrapped across two batches is joined all the same. */
export async function* joinContinuationBatches(
  batches: AsyncIterable<readonly ObservedRecord[]>,
  continues: Continues,
  maxRecordBytes: number,
): AsyncGenerator<ObservedRecord[]> {
  const joiner = new ContinuationJoiner(continues, maxRecordBytes);
  // the observation time of the entry being read: its first record's
  let entryObservedAt = new Date(0);
  for await (const batch of batches) {
    const out: ObservedRecord[] = [];
    for (const next of batch) {
      const reading = joiner.reading;
      const done = joiner.push(next.record);
      if (done !== undefined) out.push({ record: done, observedAt: entryObservedAt });
      if (done !== undefined || !reading) entryObservedAt = next.observedAt;
    }
    if (out.length > 0) yield out;
  }
  const last = joiner.end();
  if (last !== undefined) yield [{ record: last, observedAt: entryObservedAt }];
}

/**
 * The joining, record by record: each record pushed either carries on the entry being read or ends it.
 * Synchronous, for a thread that splits a piece of a file into records itself (file-chunks.ts).
 */
export class ContinuationJoiner {
  private entry: RawRecord | undefined;

  constructor(
    private readonly continues: Continues,
    private readonly maxRecordBytes: number,
  ) {}

  /** whether an entry is being read */
  get reading(): boolean {
    return this.entry !== undefined;
  }

  /** Takes the next record; returns the entry it ended, if it did not carry it on. */
  push(next: RawRecord): RawRecord | undefined {
    const entry = this.entry;
    if (entry !== undefined) {
      const joined = join(entry, next, this.continues, this.maxRecordBytes);
      if (joined !== undefined) {
        this.entry = joined;
        return undefined;
      }
    }
    this.entry = next;
    return entry;
  }

  /** The entry being read, at the end of the input. */
  end(): RawRecord | undefined {
    const entry = this.entry;
    this.entry = undefined;
    return entry;
  }
}

function join(
  entry: RawRecord,
  line: RawRecord,
  continues: Continues,
  maxRecordBytes: number,
): RawRecord | undefined {
  if (entry.truncated || line.truncated || entry.base64 !== undefined || line.base64 !== undefined) return;
  const bytes = (entry.bytes ?? entry.text.length) + 1 + (line.bytes ?? line.text.length);
  if (bytes > maxRecordBytes || !continues(entry.text, line.text)) return;
  return { ...entry, text: `${entry.text}\n${line.text}`, bytes };
}
