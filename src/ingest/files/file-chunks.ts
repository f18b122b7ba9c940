import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RawRecord } from '../../domain/raw-record';
import { ContinuationJoiner, joinContinuationBatches, type Continues } from './continued-records';
import {
  bounds,
  isPlainLineFile,
  lineRecord,
  readRecordBatches,
  type FileRecordOptions,
  type ObservedRecord,
} from './file-records';
import { errnoReason } from './input-walk';
import { linesOf } from './line-reader';

/**
 * Whole lines of a file, as bytes, for a thread to split into records where it parses them: the reading
 * thread then never decodes or copies a line. It starts at a line's first byte and ends after a line feed
 * (or where the file ends), and never inside an entry wrapped over several lines (see lastCut).
 */
export interface LineChunk extends Pick<FileRecordOptions, 'kind' | 'host' | 'timezone'> {
  readonly bytes: Buffer;
  /** the line number of its first line */
  readonly firstLine: number;
  /** the input, as records name it */
  readonly path: string;
  readonly observedAt: Date;
}

/** A piece of an input, as read: a chunk of a plain file's lines, or records read one by one. */
export type InputPiece =
  | { readonly chunk: LineChunk; readonly records?: undefined }
  | { readonly records: readonly ObservedRecord[]; readonly chunk?: undefined };

export interface PieceOptions extends FileRecordOptions {
  /** the wrapped-entry test of the parsers (registry.ts continuesRecord) */
  readonly continues: Continues;
}

/** How a plain file is cut. */
export interface ChunkSizes {
  /** bytes read at a time: a chunk holds about this much, a few thousand lines, a worker's batch */
  readonly chunkBytes: number;
  /**
   * the first chunk's size, each next one twice the last up to chunkBytes: a worker's first parse of a
   * chunk runs cold (interpreted, not yet compiled), and the stateful stages wait for it, idle
   */
  readonly firstChunkBytes: number;
  /**
   * Bytes with no place to cut (one very long line) past which the rest of the file is read line by line,
   * where a line over the record limit is only counted past its prefix: a chunk would hold all of it.
   */
  readonly maxCarryBytes: number;
}

const SIZES: ChunkSizes = {
  chunkBytes: 256 * 1024,
  firstChunkBytes: 16 * 1024,
  maxCarryBytes: 4 * 1024 * 1024,
};

const LF = 0x0a;
const SPACE = 0x20;
const DEL = 0x7f;

/**
 * The pieces of one input: a plain regular file (file-records.ts isPlainLineFile) as chunks of its lines,
 * anything else — stdin, a stream, a compressed file, one document — and a plain file's rest after a line
 * too long to chunk, as records (readRecordBatches, wrapped entries joined). Problems reading it go to
 * `options.report`, as readRecordBatches reports them, and end this input only.
 */
export async function* readInputPieces(
  path: string,
  options: PieceOptions,
  { chunkBytes, firstChunkBytes, maxCarryBytes }: ChunkSizes = SIZES,
): AsyncGenerator<InputPiece> {
  const asRecords = (from?: { offset: number; line: number }) =>
    joinContinuationBatches(
      readRecordBatches(path, options, from),
      options.continues,
      options.maxRecordBytes,
    );
  if (!(await isPlainLineFile(path, options))) {
    for await (const records of asRecords()) yield { records };
    return;
  }
  let rest: { offset: number; line: number } | undefined;
  try {
    const observedAt = (await stat(path)).mtime;
    // read synchronously: a read of the page cache takes microseconds, and a promise and a trip through
    // libuv's pool for each cost the reading thread six times the CPU of the read itself
    const fd = openSync(path, 'r');
    try {
      // the bytes read after the last cut: they start at `offset`, on line `line`
      let carry = Buffer.alloc(0);
      let offset = 0;
      let line = 1;
      for (let want = Math.min(firstChunkBytes, chunkBytes); ; want = Math.min(want * 2, chunkBytes)) {
        // each chunk its own memory, not a pool's: it is handed whole to the thread that splits it
        const buf = Buffer.allocUnsafeSlow(carry.length + want);
        carry.copy(buf);
        const bytesRead = readSync(fd, buf, carry.length, want, offset + carry.length);
        const size = carry.length + bytesRead;
        const cut = bytesRead === 0 ? size : lastCut(buf, size);
        // the rest is copied out first: the chunk's memory may be handed to another thread
        carry = cut > 0 ? Buffer.from(buf.subarray(cut, size)) : buf.subarray(0, size);
        if (cut > 0) {
          const bytes = buf.subarray(0, cut);
          const lines = countLines(bytes);
          const { kind, host, timezone } = options;
          yield { chunk: { bytes, firstLine: line, path, observedAt, kind, host, timezone } };
          line += lines;
          offset += cut;
        }
        if (bytesRead === 0) return;
        if (carry.length > maxCarryBytes) {
          rest = { offset, line };
          break;
        }
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (!options.report) throw e;
    options.report.skip(path, errnoReason(e));
    return;
  }
  for await (const records of asRecords(rest)) yield { records };
}

/**
 * Where the bytes read can be cut: after the last line feed that starts a line which cannot carry on the
 * entry before it: its first byte is there to see, and is printable ASCII, not a space. A continuation line
 * starts with spaces, and a blank line (whitespace only) is no record, so an entry carries on past it.
 */
function lastCut(buf: Buffer, size: number): number {
  // lastIndexOf counts a negative offset from the end
  if (size < 2) return 0;
  for (let at = buf.lastIndexOf(LF, size - 2); at >= 0; at = buf.lastIndexOf(LF, at - 1)) {
    const next = buf[at + 1]!;
    if (next > SPACE && next < DEL) return at + 1;
    if (at === 0) return 0;
  }
  return 0;
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) n++;
  return n;
}

/**
 * A chunk's records, as readRecordBatches and joinContinuationBatches make them of the same lines: blank
 * lines left out, lines over the record limit cut, wrapped entries joined. Pure: any thread can run it.
 */
export function chunkRecords(
  chunk: Omit<LineChunk, 'observedAt'>,
  options: Pick<PieceOptions, 'maxRecordBytes' | 'continues'>,
): RawRecord[] {
  const joiner = new ContinuationJoiner(options.continues, options.maxRecordBytes);
  const out: RawRecord[] = [];
  for (const l of linesOf(chunk.bytes, bounds(options), chunk.firstLine)) {
    const record = lineRecord(l, chunk.path, chunk);
    if (record === undefined) continue;
    const done = joiner.push(record);
    if (done !== undefined) out.push(done);
  }
  const last = joiner.end();
  if (last !== undefined) out.push(last);
  return out;
}
