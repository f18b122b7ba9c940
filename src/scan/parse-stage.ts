import { chunkRecords, type InputPiece, type LineChunk } from '../ingest/files/file-chunks';
import type { ObservedRecord } from '../ingest/files/file-records';
import { continuesRecord } from '../parse/registry';
import type { Unseen } from './batch-parser';

/**
 * A piece of input after the parse stage: the records the stages after parse must see, in input order, to
 * be parsed on the scan's own thread, in order, through the pipeline: every record when parsing is done
 * there, and those a worker judged to matter (batch-parser.ts). Records whose events no later stage needs
 * are not here: they are in `unseen`.
 */
export interface ParsedPiece {
  readonly records: readonly ObservedRecord[];
  /** records the piece held, those only counted included */
  readonly read: number;
  /** its bytes, for progress */
  readonly bytes: number;
  /** events the parse stage judged no later stage needs: only counted, with their time span */
  readonly unseen?: Unseen;
}

/**
 * The parse stage of `scan`: pieces of input in (file-chunks.ts), parsed pieces out, in the same order.
 * Parsing is pure (a record and the defaults give its events), so where it runs — this thread or a pool
 * of workers — changes the speed, never the result.
 */
export interface ParseStage {
  run(pieces: AsyncIterable<InputPiece>): AsyncIterable<ParsedPiece>;
  close(): Promise<void>;
}

/** Parsing on this thread: a chunk is split here, and every record is left to the pipeline, in order. */
export class InlineParseStage implements ParseStage {
  constructor(private readonly maxRecordBytes: number) {}

  async *run(pieces: AsyncIterable<InputPiece>): AsyncIterable<ParsedPiece> {
    for await (const piece of pieces) {
      const records = piece.chunk ? splitChunk(piece.chunk, this.maxRecordBytes) : piece.records;
      yield {
        records,
        read: records.length,
        bytes: piece.chunk ? piece.chunk.bytes.length : recordBytes(piece.records),
      };
    }
  }

  async close(): Promise<void> {}
}

/** A chunk's records, with the time they were observed. */
function splitChunk(chunk: LineChunk, maxRecordBytes: number): ObservedRecord[] {
  return chunkRecords(chunk, { maxRecordBytes, continues: continuesRecord }).map((record) => ({
    record,
    observedAt: chunk.observedAt,
  }));
}

/** The bytes records were read from, each with its line break. */
export function recordBytes(records: readonly ObservedRecord[]): number {
  let bytes = 0;
  for (const { record } of records) bytes += (record.bytes ?? record.text.length) + 1;
  return bytes;
}

/** Regroups the pieces of records into batches of `size` (the last one shorter); chunks pass as they are. */
export async function* rebatch(
  pieces: AsyncIterable<InputPiece>,
  size = BATCH_SIZE,
): AsyncIterable<InputPiece> {
  let batch: ObservedRecord[] = [];
  for await (const piece of pieces) {
    if (piece.chunk) {
      if (batch.length > 0) yield { records: batch };
      batch = [];
      yield piece;
      continue;
    }
    for (const item of piece.records) {
      batch.push(item);
      if (batch.length >= size) {
        yield { records: batch };
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield { records: batch };
}

const BATCH_SIZE = 2_000;

/** Groups a stream of records into pieces of up to `size` records. */
export async function* batches(
  items: AsyncIterable<ObservedRecord>,
  size = BATCH_SIZE,
): AsyncIterable<InputPiece> {
  let batch: ObservedRecord[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield { records: batch };
      batch = [];
    }
  }
  if (batch.length > 0) yield { records: batch };
}
