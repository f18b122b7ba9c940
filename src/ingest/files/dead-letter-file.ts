import { createWriteStream, type WriteStream } from 'node:fs';
import type { DeadLetter } from '../../pipeline/detection-pipeline';

/** `scan --dead-letter FILE`: one NDJSON line `{reason, source, original}` per record that could not be read. */
export class DeadLetterFile {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
  }

  write(entry: DeadLetter): void {
    const { origin } = entry;
    const source =
      origin.type === 'file'
        ? `${origin.path}:${origin.line}`
        : `${origin.topic}/${origin.partition}@${origin.offset}`;
    this.stream.write(
      JSON.stringify({ reason: entry.reason, source, kind: entry.kind, original: entry.original }) + '\n',
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}
