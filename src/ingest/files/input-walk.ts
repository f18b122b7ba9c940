import { lstat, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** An input: a file, a stream (stdin, a FIFO, `<(…)`), and whether the user named it. */
export interface InputFile {
  readonly path: string;
  readonly named: boolean;
  /** read as it comes, once: stdin, a FIFO, a process substitution (no peeking ahead, no end promised) */
  readonly stream?: boolean;
}

/** An input that was not read, and why. */
export interface SkippedInput {
  readonly path: string;
  readonly reason: string;
  /** evidence that could not be read (exit 2), rather than something that is not evidence (a note) */
  readonly unreadable: boolean;
}

/**
 * What a scan could not read, collected while it goes on: one unreadable file in /var/log must not throw
 * away what the rest of the scan found. Inputs that could not be read make the exit status 2 (CONTRACT §1:
 * unreadable inputs), after every alert of the inputs that could be read is printed.
 */
export class InputReport {
  readonly skipped: SkippedInput[] = [];

  skip(path: string, reason: string, unreadable = true): void {
    this.skipped.push({ path, reason, unreadable });
  }

  /** inputs that were evidence but could not be read */
  get unreadable(): number {
    return this.skipped.filter((s) => s.unreadable).length;
  }

  /** One line per skipped input (not yet escaped for a terminal). */
  lines(): string[] {
    return this.skipped.map((s) => `${s.unreadable ? 'cannot read' : 'skipped'} ${s.path}: ${s.reason}`);
  }
}

const ERRNO: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'a symlink loop',
  ENOTDIR: 'a path through something that is not a directory',
  ENAMETOOLONG: 'name too long',
  EIO: 'input/output error',
  // writing: the output, a dead-letter file, the report
  EISDIR: 'a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
};

/** A file system error as a reason: what it means, and its code. */
export function errnoReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = err.code;
  return code === undefined ? String(err.message ?? e) : `${ERRNO[code] ?? err.message} (${code})`;
}

/**
 * Expands paths into inputs (the generations of one log among them oldest first: generationsInOrder): a
 * directory yields what it holds (recursively, sorted by name, a rotated log's generations oldest first:
 * oldestGenerationFirst), `-` is stdin, a FIFO or process substitution is a stream. Nothing stops the walk:
 * an unreadable file or directory, a dangling symlink, a symlink loop, a device are each put in `report`
 * with the reason and passed over. Directories and files are visited once each, however many symlinks lead
 * to them.
 */
export async function expandInputs(
  paths: readonly string[],
  report = new InputReport(),
): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const seen = new Set<string>();
  const walk = async (path: string, named: boolean): Promise<void> => {
    if (path === '-') {
      out.push({ path, named, stream: true });
      return;
    }
    let info: Stats;
    try {
      info = await stat(path);
    } catch (e) {
      report.skip(path, await missingReason(path, e));
      return;
    }
    const id = `${info.dev}:${info.ino}`;
    if (seen.has(id)) {
      if (info.isDirectory()) report.skip(path, 'a directory already scanned (a symlink back to it)', false);
      return;
    }
    seen.add(id);
    if (info.isDirectory()) {
      let entries: string[];
      try {
        entries = (await readdir(path)).sort(oldestGenerationFirst);
      } catch (e) {
        report.skip(path, `directory not readable: ${errnoReason(e)}`);
        return;
      }
      for (const entry of entries) await walk(join(path, entry), false);
    } else if (info.isFile()) {
      out.push({ path, named });
    } else if (info.isFIFO() && named) {
      out.push({ path, named, stream: true });
    } else {
      // a FIFO met in a directory may have no writer: reading it would wait forever
      const what = kindOf(info);
      report.skip(
        path,
        named
          ? `${what}, not a file of records (copy what you need into a file, or pipe it to \`-\`)`
          : `${what}`,
        named,
      );
    }
  };
  for (const path of generationsInOrder(paths)) await walk(path, true);
  return out;
}

/**
 * A rotated log's generation in its name: numbered (logrotate's `auth.log.1`, `auth.log.2.gz`; savelog's
 * `auth.log.0`) or dated (logrotate's dateext: `auth.log-20261120`, `-2026-11-20`, `-20261120-1795680000`),
 * compressed or not.
 */
const GENERATION =
  /^(.+?)(?:\.(\d{1,4})|-(\d{4}-?\d{2}-?\d{2}(?:[-_]?\d{1,12})?))(?:\.(?:gz|bz2|xz|zst|lz4|z|Z))?$/;

/**
 * A name's log and where its generation goes, oldest first: dated ones by their date (as text: the
 * digits, which sort as the dates do), then numbered ones from the highest number down, then the live file.
 */
function generationOf(name: string): { log: string; rank: number; date: string; number: number } {
  const m = GENERATION.exec(name);
  if (m === null) return { log: name, rank: 2, date: '', number: 0 };
  if (m[3] !== undefined) return { log: m[1]!, rank: 0, date: m[3].replace(/[-_]/g, ''), number: 0 };
  return { log: m[1]!, rank: 1, date: '', number: Number(m[2]) };
}

/**
 * Paths as given, except that the generations of one log among them take each other's places oldest first:
 * a shell's `scan /var/log/auth.log*` names them newest first (auth.log, auth.log.1, auth.log.2.gz). Other
 * paths keep their places.
 */
export function generationsInOrder(paths: readonly string[]): string[] {
  const out = [...paths];
  const byLog = new Map<string, number[]>();
  paths.forEach((path, i) => {
    const log = `${dirname(path)}/${generationOf(basename(path)).log}`;
    const places = byLog.get(log);
    if (places === undefined) byLog.set(log, [i]);
    else places.push(i);
  });
  for (const places of byLog.values()) {
    if (places.length < 2) continue;
    const names = places
      .map((i) => paths[i]!)
      .sort((a, b) => oldestGenerationFirst(basename(a), basename(b)));
    places.forEach((at, k) => (out[at] = names[k]!));
  }
  return out;
}

/**
 * Directory order: by name, except that the generations of one rotated log come oldest first and the live
 * file last (`auth.log.2.gz`, `auth.log.1`, `auth.log`), as they were written. By plain name the live file
 * came first: correlation windows then held its newest attempts while the older files' were read, and
 * three attempts in auth.log and two days earlier in auth.log.1 counted as one burst of five.
 */
export function oldestGenerationFirst(a: string, b: string): number {
  const ga = generationOf(a);
  const gb = generationOf(b);
  if (ga.log !== gb.log) return ga.log < gb.log ? -1 : 1;
  if (ga.rank !== gb.rank) return ga.rank - gb.rank;
  if (ga.date !== gb.date) return ga.date < gb.date ? -1 : 1;
  if (ga.number !== gb.number) return gb.number - ga.number;
  return a < b ? -1 : a > b ? 1 : 0;
}

function kindOf(info: Stats): string {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isFIFO()) return 'a FIFO in a directory (it may have no writer)';
  return 'not a regular file';
}

/** Why a path could not be stat'ed; a dangling symlink is named as one. */
async function missingReason(path: string, e: unknown): Promise<string> {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
    const link = await lstat(path).catch(() => undefined);
    if (link?.isSymbolicLink()) return 'a dangling symlink (its target does not exist)';
  }
  return errnoReason(e);
}
