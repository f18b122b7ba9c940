import { isAscii, isUtf8 } from 'node:buffer';
import { decodeRecord, utf8Prefix, type DecodedRecord } from '../record-bytes';

/**
 * One line of an input, bounded: its bytes, or its text when it was decoded with the rest of its chunk
 * (valid UTF-8 and within the limit: nearly every line of a log).
 */
export type BoundedLine = LineFacts & ({ readonly text: string } | { readonly bytes: Buffer });

interface LineFacts {
  /** the line's true length in bytes, its end of line left out */
  readonly size: number;
  /** the line was longer than the record limit: `bytes` holds its first `prefixBytes` at most */
  readonly truncated: boolean;
  /** 1-based line number */
  readonly line: number;
}

/**
 * The line's text, and its exact bytes as base64 when they are not UTF-8 (decodeRecord). The bytes of a
 * line that is `truncated` hold only its prefix.
 */
export function decodeLine(line: BoundedLine): DecodedRecord {
  return 'text' in line ? { text: line.text } : decodeRecord(line.bytes);
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
  for await (const lines of boundedLineBatches(chunks, bounds)) yield* lines;
}

/**
 * The same lines, a batch per chunk read: a large file is a few thousand batches rather than millions of
 * awaited lines, which cost a scan more than splitting them did.
 */
export async function* boundedLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  bounds: LineBounds,
  firstLine = 1,
): AsyncGenerator<BoundedLine[]> {
  const splitter = new LineSplitter(bounds, firstLine);
  for await (const chunk of chunks) {
    const lines = splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (splitter.endless) {
      // what was read of it is a record too (cut, with the size read so far); then the input ends
      const endless = splitter.end()!;
      lines.push(endless);
      yield lines;
      throw new EndlessLineError(endless.line, endless.size);
    }
    if (lines.length > 0) yield lines;
  }
  const last = splitter.end();
  if (last) yield [last];
}

/**
 * The lines of a piece of an input that holds whole lines only (it ends after a line feed, or where the
 * input ends), numbered from `firstLine`: what a thread that did not read the input splits (file-chunks.ts).
 */
export function linesOf(bytes: Buffer, bounds: LineBounds, firstLine: number): BoundedLine[] {
  const splitter = new LineSplitter(bounds, firstLine);
  const lines = splitter.push(bytes);
  const last = splitter.end();
  if (last) lines.push(last);
  return lines;
}

/** The line splitting of `boundedLines`, chunk by chunk: the line being read is carried between chunks. */
class LineSplitter {
  private readonly keep: number;
  private readonly maxLine: number;
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private lastByte = -1;

  constructor(
    private readonly bounds: LineBounds,
    private line = 1,
  ) {
    this.keep = Math.max(bounds.maxRecordBytes, bounds.prefixBytes);
    this.maxLine = bounds.maxLineBytes ?? Infinity;
  }

  /** The lines a chunk ends; its tail is kept for the next. */
  push(buf: Buffer): BoundedLine[] {
    const out: BoundedLine[] = [];
    const first = buf.indexOf(LF);
    if (first === -1) {
      this.take(buf);
      return out;
    }
    // the line carried from the chunks before ends here
    this.take(buf.subarray(0, first));
    const done = this.end();
    if (done) out.push(done);
    // the lines wholly inside the chunk: decoded at once when they are UTF-8, byte by byte when not
    const last = buf.lastIndexOf(LF);
    const whole = buf.subarray(first + 1, last);
    if (last > first + 1 && isUtf8(whole)) this.decoded(whole, out);
    else this.split(whole, out, last > first);
    this.take(buf.subarray(last + 1));
    return out;
  }

  /**
   * Whole lines (LF-separated, the last LF left out) as bytes, one by one; `any` false: there are none.
   */
  private split(lines: Buffer, out: BoundedLine[], any: boolean): void {
    if (!any) return;
    let from = 0;
    for (let at = lines.indexOf(LF); ; at = lines.indexOf(LF, from)) {
      this.take(lines.subarray(from, at === -1 ? lines.length : at));
      const done = this.end();
      if (done) out.push(done);
      if (at === -1) return;
      from = at + 1;
    }
  }

  /**
   * Whole lines that are valid UTF-8, decoded as one string and split there: a native decode and check per
   * line (and a Buffer view each) cost a large scan more than reading the file did. The same lines as
   * `split`: a CR before the LF dropped, empty lines counted, a line over the limit cut as bytes.
   */
  private decoded(lines: Buffer, out: BoundedLine[]): void {
    const ascii = isAscii(lines);
    // the same string either way; latin1 skips the UTF-8 decoder's checks (nearly every log is ASCII)
    const text = lines.toString(ascii ? 'latin1' : 'utf8');
    const max = this.bounds.maxRecordBytes;
    let from = 0;
    for (;;) {
      const at = text.indexOf('\n', from);
      let end = at === -1 ? text.length : at;
      if (end > from && text.charCodeAt(end - 1) === 0x0d) end--;
      if (end > from) {
        const line = text.slice(from, end);
        const size = ascii ? line.length : Buffer.byteLength(line);
        out.push(
          size <= max
            ? { text: line, size, truncated: false, line: this.line }
            : {
                bytes: utf8Prefix(Buffer.from(line), this.bounds.prefixBytes),
                size,
                truncated: true,
                line: this.line,
              },
        );
      }
      this.line++;
      if (at === -1) return;
      from = at + 1;
    }
  }

  /** The line being read is longer than `maxLineBytes`: the input must end. */
  get endless(): boolean {
    return this.size > this.maxLine;
  }

  /** Ends the line being read: the line, or undefined when it is empty. */
  end(): BoundedLine | undefined {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.kept);
    let lineSize = this.size;
    if (this.lastByte === CR) {
      lineSize--;
      if (bytes.length > lineSize) bytes = bytes.subarray(0, lineSize);
    }
    const truncated = lineSize > this.bounds.maxRecordBytes;
    if (truncated) bytes = utf8Prefix(bytes, this.bounds.prefixBytes);
    const out = lineSize === 0 ? undefined : { bytes, size: lineSize, truncated, line: this.line };
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    this.lastByte = -1;
    this.line++;
    return out;
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    this.lastByte = piece[piece.length - 1]!;
    if (this.kept < this.keep) {
      const part = piece.length <= this.keep - this.kept ? piece : piece.subarray(0, this.keep - this.kept);
      this.parts.push(part);
      this.kept += part.length;
    }
  }
}
