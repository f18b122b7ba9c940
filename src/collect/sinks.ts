import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { SnapshotRecord } from '../domain/snapshot-record';

/** Where `collect` writes its records. */
export interface RecordSink {
  write(record: SnapshotRecord): Promise<void>;
  close(): Promise<void>;
}

/** NDJSON to a stream (stdout), waiting for the stream when it is full. */
export class NdjsonSink implements RecordSink {
  constructor(private readonly out: Writable) {}

  async write(record: SnapshotRecord): Promise<void> {
    if (!this.out.write(`${JSON.stringify(record)}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    // stdout is not ours to end
  }
}

/**
 * NDJSON to a file: created with mode 0600 (the records name accounts and keys) and never through a
 * symlink or over an existing file, the only place a sweep writes.
 */
export class FileSink implements RecordSink {
  private constructor(
    private readonly stream: WriteStream,
    private readonly ndjson: NdjsonSink,
  ) {}

  static async open(path: string): Promise<FileSink> {
    const stream = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    await once(stream, 'open');
    return new FileSink(stream, new NdjsonSink(stream));
  }

  write(record: SnapshotRecord): Promise<void> {
    return this.ndjson.write(record);
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
