import type { Dirent, Stats } from 'node:fs';
import { excludedMount, type Mount } from '../parsers/mountinfo';
import { errorCode, type HostFs } from './host-fs';

export interface WalkEntry {
  /** the host path */
  readonly path: string;
  readonly name: string;
  /** the directory holding it */
  readonly parent: string;
  readonly dirent: Dirent;
  /** a directory's lstat (the walk needs it to stay on known mounts); undefined for other entries */
  readonly stat?: Stats;
}

export interface WalkLimits {
  /** epoch ms after which the walk stops where it is */
  readonly deadline: number;
  /** entries after which it stops */
  readonly maxEntries: number;
}

export interface WalkReport {
  entries: number;
  /** why the walk ended early, if it did */
  stopped?: 'deadline' | 'entry limit';
  /** mounts not entered, with why: proc/sys and friends, network and FUSE file systems */
  readonly skippedMounts: { path: string; why: string }[];
  /** directories that could not be listed, with the errno */
  readonly unreadable: { path: string; code: string }[];
}

/**
 * A depth-first walk of the host's directory tree that never leaves what a responder's sweep may touch:
 * it does not follow symlinks (directory entries are read with their types, a symlink is an entry, never
 * a door), it does not enter pseudo file systems (/proc, /sys, cgroups, ...), network file systems or
 * FUSE mounts (mount table from /proc/self/mountinfo), nor a directory on a device the mount table does
 * not list (a mount made after the table was read). It holds one directory listing at a time plus a
 * stack of paths, and stops at a deadline or an entry limit, saying which in the report.
 */
export function* walk(
  fs: HostFs,
  start: string,
  mounts: readonly Mount[],
  limits: WalkLimits,
  report: WalkReport,
  prune: (path: string) => boolean = () => false,
): Generator<WalkEntry> {
  const mountTypes = new Map(mounts.map((m) => [m.mountPoint, m.fsType]));
  const startStat = fs.lstat(start);
  if (!startStat?.isDirectory()) return;
  const stack: { path: string; dev: number }[] = [{ path: start, dev: startStat.dev }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = fs.readdir(dir.path);
    } catch (e) {
      report.unreadable.push({ path: dir.path, code: errorCode(e) });
      continue;
    }
    for (const dirent of entries) {
      if (++report.entries > limits.maxEntries) {
        report.stopped = 'entry limit';
        return;
      }
      // Date.now is a few nanoseconds: cheap enough to ask every 1024 entries
      if ((report.entries & 1023) === 0 && Date.now() > limits.deadline) {
        report.stopped = 'deadline';
        return;
      }
      const path = dir.path === '/' ? `/${dirent.name}` : `${dir.path}/${dirent.name}`;
      if (!dirent.isDirectory()) {
        yield { path, name: dirent.name, parent: dir.path, dirent };
        continue;
      }
      const stat = fs.lstat(path);
      yield { path, name: dirent.name, parent: dir.path, dirent, stat };
      if (stat === undefined || !stat.isDirectory() || prune(path)) continue;
      const fsType = mountTypes.get(path);
      const excluded = fsType !== undefined ? excludedMount(fsType) : undefined;
      if (excluded !== undefined) {
        report.skippedMounts.push({ path, why: `${fsType} (${excluded})` });
        continue;
      }
      if (stat.dev !== dir.dev && fsType === undefined) {
        report.skippedMounts.push({ path, why: 'a device the mount table does not list' });
        continue;
      }
      stack.push({ path, dev: stat.dev });
    }
  }
}

export const newWalkReport = (): WalkReport => ({ entries: 0, skippedMounts: [], unreadable: [] });
