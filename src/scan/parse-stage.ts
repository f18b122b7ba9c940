import type { ObservedRecord } from '../ingest/files/file-records';
import type { ParseResult } from '../parse/parse-record';

/**
 * A batch of records and their parse results, index for index. An undefined result is a record to parse
 * on the scan's own thread, in order, through the pipeline: a record whose events span several records
 * (an audit line: the pipeline's audit stream groups it with the others of its event). COUNTED is a record
 * that parsed, all of whose events are in `unseen`: no later stage has anything to do with it.
 */
export interface ParsedBatch {
  readonly batch: readonly ObservedRecord[];
  readonly results: readonly (ParseResult | undefined | typeof COUNTED)[];
  /** events the parse stage judged no later stage needs: only counted, with their time span */
  readonly unseen?: { readonly events: number; readonly first?: string; readonly last?: string };
}

/** A record parsed into events that were all only counted (one number crosses threads, not an object). */
export const COUNTED = 0;

/**
 * The parse stage of `scan`: batches of records in, the same batches parsed out, in the same order. Parsing
 * is pure (a record and the defaults give its events), so where it runs — this thread or a pool of workers
 * — changes the speed, never the result.
 */
export interface ParseStage {
  run(batches: AsyncIterable<readonly ObservedRecord[]>): AsyncIterable<ParsedBatch>;
  close(): Promise<void>;
}

/** Parsing on this thread: every record is left to the pipeline, in order. */
export class InlineParseStage implements ParseStage {
  async *run(batches: AsyncIterable<readonly ObservedRecord[]>): AsyncIterable<ParsedBatch> {
    for await (const batch of batches) yield { batch, results: new Array<undefined>(batch.length) };
  }

  async close(): Promise<void> {}
}

/** Regroups batches of any size (a chunk read's lines) into batches of `size`, the last one shorter. */
export async function* rebatch<T>(
  groups: AsyncIterable<readonly T[]>,
  size = BATCH_SIZE,
): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const group of groups) {
    for (const item of group) {
      batch.push(item);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

const BATCH_SIZE = 2_000;

/** Groups a stream of records into batches of up to `size`. */
export async function* batches<T>(items: AsyncIterable<T>, size = BATCH_SIZE): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
