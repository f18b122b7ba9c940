import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { InputKind } from '../../domain/input-kind';
import type { RawRecord } from '../../domain/raw-record';

export interface FileRecordOptions {
  readonly kind?: InputKind;
  readonly host?: string;
  readonly timezone?: string;
  /** records longer than this are still yielded (cut) so the parse stage dead-letters them with a reason */
  readonly maxRecordBytes: number;
  /** whether a file whose text starts with `head` is one document (an AIDE text report), not lines */
  readonly isWholeDocument?: (head: string) => boolean;
}

/** An input file, and whether the user named it (rather than a directory it sits in). */
export interface InputFile {
  readonly path: string;
  readonly named: boolean;
}

/** A record with the time it was observed: the file's mtime (stdin: when it was read). */
export interface ObservedRecord {
  readonly record: RawRecord;
  readonly observedAt: Date;
}

export class InputError extends Error {}

/** Expands paths: a directory yields its regular files (recursively, sorted); `-` is stdin. */
export async function expandInputs(paths: readonly string[], named = true): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push({ path, named });
      continue;
    }
    const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${path}: ${e.code ?? e.message}`);
    });
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      out.push(
        ...(await expandInputs(
          entries.map((e) => join(path, e)),
          false,
        )),
      );
    } else if (info.isFile()) {
      out.push({ path, named });
    }
  }
  return out;
}

/**
 * The records of one file or stdin. A file holding one JSON document spread over lines (an AIDE report) is
 * one record; anything else is a record per line, streamed, so large logs need no memory.
 */
export async function* readRecords(path: string, options: FileRecordOptions): AsyncGenerator<ObservedRecord> {
  const observedAt = path === '-' ? new Date() : (await stat(path)).mtime;
  if (path !== '-' && (await isWholeDocument(path, options.isWholeDocument))) {
    const text = await readWhole(createReadStream(path, { encoding: 'utf8' }), options.maxRecordBytes);
    yield { record: { ...hints(options), text, origin: { type: 'file', path, line: 1 } }, observedAt };
    return;
  }
  const stream = path === '-' ? process.stdin : createReadStream(path);
  stream.setEncoding('utf8');
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    yield {
      record: {
        ...hints(options),
        text,
        origin: { type: 'file', path: path === '-' ? '<stdin>' : path, line },
      },
      observedAt,
    };
  }
}

function hints(options: FileRecordOptions): Pick<RawRecord, 'kind' | 'host' | 'timezone'> {
  return { kind: options.kind, host: options.host, timezone: options.timezone };
}

/** The first 64 KiB of a file, as text. */
export async function fileHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * True when the file is one document: JSON spread over lines (an AIDE JSON report), or whatever the
 * caller's predicate recognises from its head (an AIDE text report).
 */
async function isWholeDocument(path: string, predicate?: (head: string) => boolean): Promise<boolean> {
  const head = await fileHead(path);
  if (predicate?.(head)) return true;
  if (!/^\s*\{/.test(head)) return false;
  const firstLine = head.trimStart().split('\n', 1)[0]!;
  try {
    JSON.parse(firstLine);
    return false;
  } catch {
    return true;
  }
}

/** Reads a stream whole, but no more than limit+1 characters: an oversize document is cut, then rejected. */
async function readWhole(stream: Readable, limit: number): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk as string;
    if (text.length > limit) {
      stream.destroy();
      break;
    }
  }
  return text;
}
