import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputKind } from '../../domain/input-kind';
import { DEAD_LETTER_PREFIX_BYTES, MAX_RECORD_LIMIT, type RawRecord } from '../../domain/raw-record';
import { utf8Prefix } from '../record-bytes';
import { errnoReason, type InputReport } from './input-walk';
import {
  boundedLineBatches,
  decodeLine,
  EndlessLineError,
  type BoundedLine,
  type LineBounds,
} from './line-reader';

export interface FileRecordOptions {
  readonly kind?: InputKind;
  readonly host?: string;
  readonly timezone?: string;
  /** records longer than this are yielded cut, with their true size, so the parse stage dead-letters them */
  readonly maxRecordBytes: number;
  /** whether a file whose text starts with `head` is one document (an AIDE text report), not lines */
  readonly isWholeDocument?: (head: string) => boolean;
  /** where inputs that cannot be read (or not to the end) are reported; without one, they throw */
  readonly report?: InputReport;
}

/** A record with the time it was observed: the file's mtime (stdin: when it was read). */
export interface ObservedRecord {
  readonly record: RawRecord;
  readonly observedAt: Date;
}

/**
 * A line of a stream this long ends the stream: stdin or a FIFO fed from `/dev/zero` never ends a line.
 * Regular files end, so their lines are read through whatever their length (the 600 MB line is counted,
 * dead-lettered with its size, and the line after it read).
 */
export const MAX_STREAM_LINE_BYTES = MAX_RECORD_LIMIT;

const HEAD_BYTES = 64 * 1024;

/** An input that cannot be read as records, with why (compressed in a format not read, unreadable). */
export class UnreadableInput extends Error {}

/**
 * The records of one input: a file, stdin (`-`) or a stream (FIFO, `<(…)`). gzip files are read through
 * (rotated `auth.log.2.gz`). A file holding one JSON document spread over lines (an AIDE report), or a
 * document the caller's predicate recognises, is one record; anything else is a record per line, streamed
 * with a bounded line (see `boundedLines`). Problems opening or reading it go to `options.report` and end
 * this input only.
 */
export async function* readRecords(path: string, options: FileRecordOptions): AsyncGenerator<ObservedRecord> {
  for await (const batch of readRecordBatches(path, options)) yield* batch;
}

/**
 * The records of `readRecords`, a batch per chunk read (a scan's pace: one await per batch, not per line).
 * `from`: the rest of a plain (uncompressed, line by line) regular file, from a line's first byte on.
 */
export async function* readRecordBatches(
  path: string,
  options: FileRecordOptions,
  from?: { readonly offset: number; readonly line: number },
): AsyncGenerator<ObservedRecord[]> {
  const origin = path === '-' ? '<stdin>' : path;
  try {
    const info = path === '-' ? undefined : await stat(path);
    const observedAt = info?.isFile() ? info.mtime : new Date();
    let lines: AsyncIterable<BoundedLine[]> | Iterable<BoundedLine[]>;
    if (from !== undefined) {
      lines = boundedLineBatches(createReadStream(path, { start: from.offset }), bounds(options), from.line);
    } else if (info === undefined || !info.isFile()) {
      lines = boundedLineBatches(
        path === '-' ? process.stdin : createReadStream(path),
        bounds(options, MAX_STREAM_LINE_BYTES),
      );
    } else {
      const whole = await wholeDocument(path, options);
      lines = whole ? [[whole]] : boundedLineBatches(await openBytes(path), bounds(options));
    }
    for await (const batch of lines) {
      const records: ObservedRecord[] = [];
      for (const l of batch) {
        const record = lineRecord(l, origin, options);
        if (record) records.push({ record, observedAt });
      }
      if (records.length > 0) yield records;
    }
  } catch (e) {
    const reason =
      e instanceof EndlessLineError
        ? `${e.message} (a device, or binary data with no line breaks?)`
        : e instanceof UnreadableInput
          ? e.message
          : errnoReason(e);
    if (!options.report) throw new UnreadableInput(`cannot read ${origin}: ${reason}`);
    options.report.skip(origin, reason);
  }
}

/** A line as a record, or undefined for a blank one (blank lines between records are not dead letters). */
export function lineRecord(
  l: BoundedLine,
  path: string,
  options: Pick<FileRecordOptions, 'kind' | 'host' | 'timezone'>,
): RawRecord | undefined {
  const { text, base64 } = decodeLine(l);
  if (!l.truncated && text.trim() === '') return undefined;
  // a plain literal: this runs for every line, and spreads of optional parts cost more than the rest
  const record: { -readonly [K in keyof RawRecord]: RawRecord[K] } = {
    text,
    origin: { type: 'file', path, line: l.line },
    kind: options.kind,
    host: options.host,
    timezone: options.timezone,
    bytes: l.size,
  };
  if (l.truncated) record.truncated = true;
  if (base64 !== undefined) record.base64 = base64;
  return record;
}

/** How long a line of an input may be (a stream's line: `maxLineBytes`), and how much of a longer one is kept. */
export const bounds = (
  options: Pick<FileRecordOptions, 'maxRecordBytes'>,
  maxLineBytes?: number,
): LineBounds => ({
  maxRecordBytes: options.maxRecordBytes,
  prefixBytes: Math.min(options.maxRecordBytes, DEAD_LETTER_PREFIX_BYTES),
  maxLineBytes,
});

const GZIP = [0x1f, 0x8b];
/** Compressions seen on rotated logs that are not read here; said clearly rather than read as garbage. */
const UNREAD_COMPRESSIONS: readonly (readonly [string, readonly number[], string])[] = [
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'xz -dc'],
  ['bzip2', [0x42, 0x5a, 0x68], 'bzip2 -dc'],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd], 'zstd -dc'],
];
const startsWith = (head: Buffer, magic: readonly number[]): boolean =>
  head.length >= magic.length && magic.every((b, i) => head[i] === b);

/** A regular file's bytes: gunzipped when it is gzip, refused when it is another compression. */
async function openBytes(path: string): Promise<Readable> {
  const magic = await readAt(path, 6);
  for (const [name, bytes, command] of UNREAD_COMPRESSIONS) {
    if (startsWith(magic, bytes))
      throw new UnreadableInput(
        `compressed with ${name}, which is not read: \`${command} FILE | tuxwatch scan -\``,
      );
  }
  const raw = createReadStream(path);
  if (!startsWith(magic, GZIP)) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

/**
 * Whether an input is a regular file read line by line as it is: not compressed, not one document. Such a
 * file can be cut at line breaks and its pieces split into records elsewhere (file-chunks.ts). False when
 * it cannot be told: reading it the usual way then reports why.
 */
export async function isPlainLineFile(path: string, options: FileRecordOptions): Promise<boolean> {
  try {
    if (path === '-' || !(await stat(path)).isFile()) return false;
    const magic = await readAt(path, 6);
    if (startsWith(magic, GZIP) || UNREAD_COMPRESSIONS.some(([, bytes]) => startsWith(magic, bytes)))
      return false;
    return (await wholeDocument(path, options)) === undefined;
  } catch {
    return false;
  }
}

async function readAt(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Up to `max` bytes from the start of a file's content (gunzipped), whether that is all of it, and its size:
 * exact when it is all, or when `count` asks to read on to the end (bytes are then only counted).
 */
async function readPrefix(
  path: string,
  max: number,
  count = false,
): Promise<{ bytes: Buffer; whole: boolean; size: number }> {
  const parts: Buffer[] = [];
  let kept = 0;
  let size = 0;
  const input = await openBytes(path);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (kept < max) {
        const part = chunk.subarray(0, max - kept);
        parts.push(part);
        kept += part.length;
      }
      if (size > max && !count) break;
    }
  } finally {
    input.destroy();
  }
  return { bytes: Buffer.concat(parts, kept), whole: size <= max, size };
}

/**
 * The first 64 KiB of an input's content, as text ('' when it cannot be read: reading it then reports
 * why). gzip is looked through, so a rotated `.gz` in a directory is recognised as the log it holds.
 */
export async function fileHead(path: string): Promise<string> {
  try {
    return (await readPrefix(path, HEAD_BYTES)).bytes.toString('utf8');
  } catch {
    return '';
  }
}

/**
 * The file as one record when it is one document, else undefined (read it per line). One document is:
 * what the caller's predicate recognises (an AIDE text report), or JSON spread over lines (an AIDE JSON
 * report) that parses as a whole. A file starting with `{` whose first line is a JSON value of its own is
 * NDJSON, however long that line; one whose first line is not and that does not parse whole is read per
 * line too, so a crafted first line cannot turn 20,000 records into one dead letter. Over the record limit,
 * only a pretty-printed document (first line `{` alone) is taken as one: it is dead-lettered with its size.
 */
async function wholeDocument(path: string, options: FileRecordOptions): Promise<BoundedLine | undefined> {
  const limit = options.maxRecordBytes;
  const head = await readPrefix(path, HEAD_BYTES);
  const headText = head.bytes.toString('utf8');
  const predicate = options.isWholeDocument?.(headText) === true;
  if (!predicate && !/^\s*\{/.test(headText)) return undefined;
  const prefix = head.whole || head.bytes.length > limit ? head : await readPrefix(path, limit + 1);
  if (!predicate) {
    const text = prefix.bytes.toString('utf8').trimStart();
    const firstLine = text.split('\n', 1)[0]!;
    if (firstLine.length < text.length && isJson(firstLine)) return undefined;
    const fits = prefix.whole && prefix.size <= limit;
    if (fits ? !isJson(text) : firstLine.trim() !== '{') return undefined;
  }
  const size = prefix.whole ? prefix.size : (await readPrefix(path, 0, true)).size;
  const truncated = size > limit;
  const bytes = truncated
    ? utf8Prefix(prefix.bytes, Math.min(limit, DEAD_LETTER_PREFIX_BYTES))
    : prefix.bytes;
  return { bytes, size, truncated, line: 1 };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
