import { utf8Prefix } from '../record-bytes';

/** One line of an input, as bytes, bounded. */
export interface BoundedLine {
  /** the line without its `\n` (and without the `\r` of a CRLF); only a prefix when `truncated` */
  readonly bytes: Buffer;
  /** the line's true length in bytes, its end of line left out */
  readonly size: number;
  /** the line was longer than the record limit: `bytes` holds its first `prefixBytes` at most */
  readonly truncated: boolean;
  /** 1-based line number */
  readonly line: number;
}

export interface LineBounds {
  /** a longer line is not kept: it is yielded cut, with its true size */
  readonly maxRecordBytes: number;
  /** how much of a line over the limit is kept, for the dead letter */
  readonly prefixBytes: number;
  /**
   * A line this long ends the input (a device or a stream with no line breaks: `/dev/zero` on stdin never
   * ends a line). Files have an end, so they are read through whatever their lines; streams get a bound.
   */
  readonly maxLineBytes?: number;
}

/** The input ended inside a line longer than `maxLineBytes`; what came before it was yielded. */
export class EndlessLineError extends Error {
  constructor(
    readonly line: number,
    readonly bytesRead: number,
  ) {
    super(`line ${line} is longer than ${bytesRead} bytes with no end in sight; the rest is not read`);
  }
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines without ever holding more than the record limit of one line: a line
 * over the limit is kept as a prefix and its bytes are only counted until its end, however long (readline
 * holds a whole line, and a 600 MB one is past V8's string limit). Only `\n` ends a line, as in every log
 * writer; the `\r` of a CRLF is dropped, but a lone `\r` inside a record stays in it (a log writer never
 * ends a line with it, so it is data, not a line break). Empty lines are not yielded, but count.
 */
export async function* boundedLines(
  chunks: AsyncIterable<Buffer | string>,
  bounds: LineBounds,
): AsyncGenerator<BoundedLine> {
  const keep = Math.max(bounds.maxRecordBytes, bounds.prefixBytes);
  const maxLine = bounds.maxLineBytes ?? Infinity;
  let parts: Buffer[] = [];
  let kept = 0;
  let size = 0;
  let lastByte = -1;
  let line = 1;

  const take = (piece: Buffer): void => {
    if (piece.length === 0) return;
    size += piece.length;
    lastByte = piece[piece.length - 1]!;
    if (kept < keep) {
      const part = piece.length <= keep - kept ? piece : piece.subarray(0, keep - kept);
      parts.push(part);
      kept += part.length;
    }
  };
  const finish = (): BoundedLine | undefined => {
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, kept);
    let lineSize = size;
    if (lastByte === CR) {
      lineSize--;
      if (bytes.length > lineSize) bytes = bytes.subarray(0, lineSize);
    }
    const truncated = lineSize > bounds.maxRecordBytes;
    if (truncated) bytes = utf8Prefix(bytes, bounds.prefixBytes);
    const out = lineSize === 0 ? undefined : { bytes, size: lineSize, truncated, line };
    parts = [];
    kept = 0;
    size = 0;
    lastByte = -1;
    line++;
    return out;
  };

  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let from = 0;
    for (let at = buf.indexOf(LF, from); at !== -1; at = buf.indexOf(LF, from)) {
      take(buf.subarray(from, at));
      const done = finish();
      if (done) yield done;
      from = at + 1;
    }
    take(buf.subarray(from));
    if (size > maxLine) {
      // what was read of it is a record too (cut, with the size read so far); then the input ends
      const endless = finish()!;
      yield endless;
      throw new EndlessLineError(endless.line, endless.size);
    }
  }
  const last = finish();
  if (last) yield last;
}
