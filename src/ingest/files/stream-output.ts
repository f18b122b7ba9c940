import type { Writable } from 'node:stream';

/** What a piece holds before it is written: a write per line took a seventh of scan's output time. */
export const OUTPUT_PIECE_CHARS = 65_536;

/**
 * Text for a stream — scan's stdout, a dead-letter file — written in pieces of about 64 KiB, and taken no
 * faster than the reader takes it when the writer waits on `drained()`. A stream queues what it cannot
 * write yet in memory: `scan --emit events | …` held 870 MB for a 118 MB output, and `--dead-letter` 640 MB
 * for a 100 MB file of junk, where the scan's memory must be its alerts, not its input.
 */
export class StreamOutput {
  private pending = '';

  constructor(
    private readonly stream: Writable,
    private readonly pieceChars = OUTPUT_PIECE_CHARS,
  ) {}

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= this.pieceChars) this.writePiece();
  }

  /** Resolves once the stream is no longer behind (at once when it is not), or has closed or failed. */
  drained(): Promise<void> {
    const stream = this.stream;
    if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        stream.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      // an error is the stream owner's to report (scan: EPIPE ends the run); here it only ends the wait
      stream.on('drain', done).on('close', done).on('error', done);
    });
  }

  /** Writes what is pending and waits until the stream has taken it. */
  flush(): Promise<void> {
    if (this.pending !== '') this.writePiece();
    return this.drained();
  }

  private writePiece(): void {
    this.stream.write(this.pending);
    this.pending = '';
  }
}
