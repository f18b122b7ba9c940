import { createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { DeadLetter } from '../../pipeline/detection-pipeline';
import { errnoReason, type InputFile } from './input-walk';
import { StreamOutput } from './stream-output';

/** `--dead-letter FILE` cannot be used as given: a usage error, said before anything is read. */
export class DeadLetterFileError extends Error {}

/**
 * `scan --dead-letter FILE`: one NDJSON line per record that could not be read,
 * `{reason, source, kind, size, original}` plus `truncated: true` for a record over the limit (`original` is
 * then its beginning and `size` its true size) and `original_base64` (the exact bytes) when they are not UTF-8.
 */
export class DeadLetterFile {
  private failure?: Error;
  private readonly output: StreamOutput;

  private constructor(
    private readonly stream: WriteStream,
    readonly path: string,
  ) {
    stream.on('error', (e) => (this.failure ??= e));
    this.output = new StreamOutput(stream);
  }

  /**
   * Opens FILE, after the inputs are known and before any is read: FILE must not be one of them (opening it
   * would truncate the evidence), and a FILE that cannot be created is said at once, not as a crash later.
   */
  static async open(path: string, inputs: readonly InputFile[]): Promise<DeadLetterFile> {
    const target = await stat(path).catch(() => undefined);
    if (target?.isFile()) {
      for (const input of inputs) {
        if (input.path === '-') continue;
        const info = await stat(input.path).catch(() => undefined);
        if (info?.dev === target.dev && info.ino === target.ino)
          throw new DeadLetterFileError(
            `--dead-letter ${path} is an input (${input.path}); refusing to write over evidence`,
          );
      }
    }
    const stream = createWriteStream(path, { flags: 'w' });
    const failed = once(stream, 'error').then(([e]) => e as Error);
    const opened = once(stream, 'open').then(() => undefined);
    const error = await Promise.race([failed, opened]);
    if (error) throw new DeadLetterFileError(`cannot write dead letters to ${path}: ${errnoReason(error)}`);
    return new DeadLetterFile(stream, path);
  }

  write(entry: DeadLetter): void {
    const { origin } = entry;
    const source =
      origin.type === 'file'
        ? `${origin.path}:${origin.line}`
        : `${origin.topic}/${origin.partition}@${origin.offset}`;
    this.output.write(
      JSON.stringify({
        reason: entry.reason,
        source,
        kind: entry.kind,
        size: entry.size,
        ...(entry.truncated && { truncated: true }),
        original: entry.original,
        ...(entry.base64 !== undefined && { original_base64: entry.base64 }),
      }) + '\n',
    );
  }

  /** Resolves when the file has taken what was written (the reader waits here: memory is not the input's). */
  drained(): Promise<void> {
    return this.output.drained();
  }

  async close(): Promise<void> {
    await this.output.flush();
    return new Promise((resolve, reject) =>
      this.stream.end((err?: Error | null) => {
        // the first failure is the cause: ending a stream it destroyed only says ERR_STREAM_DESTROYED
        const failure = this.failure ?? err;
        if (failure)
          reject(
            new DeadLetterFileError(
              `dead letters could not all be written to ${this.path}: ${errnoReason(failure)}`,
            ),
          );
        else resolve();
      }),
    );
  }
}
