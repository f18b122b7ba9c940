import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { FileInfo } from '../../domain/snapshot-record';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOATIME, O_NOCTTY } = constants;
const READ_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;

export type ReadResult =
  | { readonly ok: true; readonly data: Buffer; readonly stat: Stats; readonly truncated: boolean }
  | { readonly ok: false; readonly reason: string; readonly code?: string };

/** How an error reads in a check's notes: `EACCES` rather than a stack. */
export const errorCode = (e: unknown): string =>
  (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));

/**
 * The host's files as the collector may touch them: read-only, never through a symlink at the last
 * component (O_NOFOLLOW), never blocking on a FIFO or device (O_NONBLOCK, regular files only), never
 * moving a file's access time when the kernel lets us (O_NOATIME), and never more than a bound of bytes.
 * Paths are the host's (`/etc/passwd`); `root` maps them onto a mounted image or a test tree.
 */
export class HostFs {
  private noAtime = O_NOATIME !== undefined;

  constructor(readonly root: string = '/') {}

  /** The physical path of a host path. */
  real(path: string): string {
    return this.root === '/' ? path : join(this.root, path);
  }

  lstat(path: string): Stats | undefined {
    return lstatSync(this.real(path), { throwIfNoEntry: false });
  }

  readdir(path: string): Dirent[] {
    return readdirSync(this.real(path), { withFileTypes: true });
  }

  readlink(path: string): string | undefined {
    try {
      return readlinkSync(this.real(path));
    } catch {
      return undefined;
    }
  }

  /**
   * Whether the path, with every symlink in its directories resolved, stays under `scope` (a host path):
   * `/root/.ssh/authorized_keys` whose `.ssh` links to `/etc` does not stay in `/root`.
   */
  staysWithin(path: string, scope: string): boolean {
    try {
      const real = realpathSync(this.real(path));
      const base = realpathSync(this.real(scope));
      return real === base || real.startsWith(base.endsWith('/') ? base : `${base}/`);
    } catch {
      return false;
    }
  }

  /** A regular file's content, at most `maxBytes` of it. */
  read(path: string, maxBytes: number): ReadResult {
    const r = this.readAt(path, 0, maxBytes);
    return r.ok ? { ...r, truncated: r.stat.size > maxBytes } : r;
  }

  /** `read` as UTF-8 text. */
  readText(path: string, maxBytes: number): ReadResult & { text?: string } {
    const r = this.read(path, maxBytes);
    return r.ok ? { ...r, text: r.data.toString('utf8') } : r;
  }

  /**
   * `length` bytes of a regular file from `offset` (a negative offset counts from the end): the tail of a
   * long wtmp, one record of a sparse lastlog.
   */
  readAt(path: string, offset: number, length: number): ReadResult {
    let fd: number;
    try {
      fd = this.open(path);
    } catch (e) {
      const code = errorCode(e);
      return { ok: false, code, reason: code === 'ELOOP' ? 'is a symlink (not followed)' : code };
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
      const from = offset < 0 ? Math.max(0, stat.size + offset) : offset;
      const size = Math.max(0, Math.min(length, stat.size - from));
      const data = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, data, read, size - read, from + read);
        if (n === 0) break;
        read += n;
      }
      return { ok: true, data: data.subarray(0, read), stat, truncated: from > 0 };
    } catch (e) {
      return { ok: false, reason: errorCode(e) };
    } finally {
      closeSync(fd);
    }
  }

  /** SHA-256 of a regular file, streamed in blocks, or undefined when it cannot be read whole. */
  sha256(path: string, maxBytes: number): string | undefined {
    let fd: number;
    try {
      fd = this.open(path);
    } catch {
      return undefined;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      const hash = createHash('sha256');
      const block = Buffer.alloc(64 * 1024);
      let position = 0;
      for (;;) {
        const n = readSync(fd, block, 0, block.length, position);
        if (n === 0) break;
        hash.update(block.subarray(0, n));
        position += n;
      }
      return hash.digest('hex');
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  private open(path: string): number {
    if (this.noAtime) {
      try {
        return openSync(this.real(path), READ_FLAGS | O_NOATIME);
      } catch (e) {
        // O_NOATIME needs ownership or CAP_FOWNER: without them, read like everyone else
        if (errorCode(e) !== 'EPERM') throw e;
      }
    }
    return openSync(this.real(path), READ_FLAGS);
  }
}

const TYPE_BITS: ReadonlyMap<number, FileInfo['type']> = new Map([
  [0o100000, 'file'],
  [0o040000, 'dir'],
  [0o120000, 'symlink'],
  [0o020000, 'char'],
  [0o060000, 'block'],
  [0o010000, 'fifo'],
  [0o140000, 'socket'],
]);

/** The FileInfo of a path from its lstat; owner and group names from the accounts the check knows. */
export function fileInfo(
  path: string,
  stat: Stats,
  extra: { owner?: string; group?: string; sha256?: string; package?: string | null } = {},
): FileInfo {
  const birth = stat.birthtimeMs;
  return {
    path,
    type: TYPE_BITS.get(stat.mode & 0o170000) ?? 'file',
    mode: (stat.mode & 0o7777).toString(8).padStart(4, '0'),
    uid: stat.uid,
    gid: stat.gid,
    size: stat.size,
    ...(Number.isSafeInteger(stat.ino) && { inode: stat.ino }),
    mtime: stat.mtime.toISOString(),
    ctime: stat.ctime.toISOString(),
    // 0 when the file system keeps no birth time (statx without STATX_BTIME)
    ...(birth > 0 && { btime: new Date(birth).toISOString() }),
    ...(extra.owner !== undefined && { owner: extra.owner }),
    ...(extra.group !== undefined && { group: extra.group }),
    ...(extra.sha256 !== undefined && { sha256: extra.sha256 }),
    ...(extra.package !== undefined && { package: extra.package }),
  };
}
