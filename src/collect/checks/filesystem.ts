import { realpathSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import type { Fact } from '../../domain/snapshot-record';
import { TIMESTOMP_THRESHOLD_MS } from '../../enrich/file-mode.enricher';
import type { Check, CheckContext } from '../check';
import { fileInfo } from '../host/host-fs';
import type { PackageIndex } from '../host/package-index';
import { newWalkReport, walk, type WalkEntry, type WalkReport } from '../host/walk';
import {
  BIN_DIRS,
  DEV_MEMORY,
  isSystemBinary,
  LIB_DIRS,
  STAGING,
  SYSTEM_TREES,
  under,
  underAny,
  vanishingName,
} from './system-paths';

const DAY_MS = 86_400_000;
const SHELLS = [
  '/bin/sh',
  '/bin/bash',
  '/bin/dash',
  '/bin/zsh',
  '/bin/ksh',
  '/bin/mksh',
  '/bin/csh',
  '/bin/tcsh',
  '/bin/busybox',
  '/usr/bin/python3',
  '/usr/bin/perl',
];
const SHELL_NAME =
  /^(sh|bash|dash|ash|zsh|ksh|mksh|pdksh|csh|tcsh|fish|busybox|python[\d.]*|perl[\d.]*|ruby[\d.]*|php[\d.]*|lua[\d.]*|node|socat|nc|ncat|netcat)$/;
/** image layers and container roots: other systems' files, swept where they run, not from the host */
const CONTAINER_STORAGE = [
  '/var/lib/docker',
  '/var/lib/containers',
  '/var/lib/containerd',
  '/var/lib/lxc',
  '/var/lib/lxd',
  '/var/lib/machines',
];
/** dot-directories are hidden in plain sight right under these (detections/hidden-directory.yml) */
const HIDING_PLACES = [
  ...STAGING,
  ...BIN_DIRS,
  ...LIB_DIRS,
  '/usr/local/bin',
  '/usr/local/sbin',
  '/usr/local/lib',
  '/usr/share',
  '/usr/include',
  '/etc',
];

/**
 * filesystem: one walk over every local file system from / (never into /proc, /sys, network or FUSE
 * mounts, never through a symlink), listing SUID/SGID files (hashed, with their package and whether they
 * are a copy of a shell or interpreter of this host), world-writable files and directories (no sticky
 * bit) in system trees, hidden directories in staging places, home directories and system directories
 * (and ones whose names are made to vanish, anywhere), regular files in /dev, system binaries changed in
 * the last `recentDays`, and timestomp hints: a system binary, or an executable in a staging place, owned
 * by no package, whose mtime lies more than a day from its ctime or birth time.
 */
export const filesystemCheck: Check = {
  name: 'filesystem',
  description:
    'SUID/SGID inventory, world-writable system files, hidden directories, files in /dev, recently changed system binaries, timestomp hints',
  async *run(ctx) {
    const packages = await ctx.packages();
    const sweep = new Sweep(ctx, packages);
    const report = newWalkReport();
    const limits = { deadline: ctx.deadline, maxEntries: ctx.options.maxWalkEntries };
    const pruned = (path: string) => CONTAINER_STORAGE.includes(path);
    for (const entry of walk(ctx.fs, '/', ctx.mounts(), limits, report, pruned)) {
      const fact = entry.dirent.isDirectory()
        ? sweep.directory(entry)
        : entry.dirent.isFile()
          ? sweep.file(entry)
          : [];
      yield* fact;
    }
    reportWalk(ctx, report);
    const containers = CONTAINER_STORAGE.filter((p) => ctx.fs.lstat(p)?.isDirectory());
    if (containers.length > 0)
      ctx.note(
        `container storage is not swept (each container is a host of its own): ${containers.join(', ')}`,
      );
  },
};

class Sweep {
  private readonly shellHashes: Set<string>;
  private readonly homes: Set<string>;
  private readonly recentSince: number;

  constructor(
    private readonly ctx: CheckContext,
    private readonly packages: PackageIndex,
  ) {
    this.shellHashes = shellHashes(ctx);
    this.homes = new Set(
      ctx
        .accounts()
        .passwd.map((p) => p.home.replace(/\/+$/, ''))
        .filter((h) => h.startsWith('/') && h !== '' && h !== '/'),
    );
    this.recentSince = ctx.now.getTime() - ctx.options.recentDays * DAY_MS;
  }

  *directory(e: WalkEntry): Generator<Fact> {
    const stat = e.stat;
    if (!stat?.isDirectory()) return;
    const hidden =
      vanishingName(e.name) ||
      (e.name.startsWith('.') && (HIDING_PLACES.includes(e.parent) || this.homes.has(e.parent)));
    if (hidden) yield { fact: 'hidden-directory', data: { file: this.info(e.path, stat) } };
    if ((stat.mode & 0o002) !== 0 && (stat.mode & 0o1000) === 0 && underAny(e.path, SYSTEM_TREES))
      yield { fact: 'world-writable', data: { file: this.info(e.path, stat) } };
  }

  *file(e: WalkEntry): Generator<Fact> {
    const stat = this.ctx.fs.lstat(e.path);
    if (!stat?.isFile()) return;
    if ((stat.mode & 0o6000) !== 0) {
      const sha256 = this.ctx.fs.sha256(e.path, this.ctx.options.maxFileBytes);
      const shellCopy = SHELL_NAME.test(e.name) || (sha256 !== undefined && this.shellHashes.has(sha256));
      yield {
        fact: 'suid-file',
        data: { file: this.info(e.path, stat, sha256, true), shell_copy: shellCopy },
      };
    }
    if ((stat.mode & 0o002) !== 0 && underAny(e.path, SYSTEM_TREES))
      yield { fact: 'world-writable', data: { file: this.info(e.path, stat) } };
    if (under(e.path, '/dev') && !underAny(e.path, DEV_MEMORY))
      yield { fact: 'dev-file', data: { file: this.info(e.path, stat) } };
    const systemBinary = isSystemBinary(e.path, e.name);
    if (systemBinary && stat.mtimeMs >= this.recentSince)
      yield { fact: 'recent-binary', data: { file: this.info(e.path, stat, undefined, true) } };
    const staged = (stat.mode & 0o111) !== 0 && stagedIn(e.parent);
    if ((systemBinary || staged) && timestomped(stat) && this.packages.owner(e.path) === null)
      yield { fact: 'timestomp-hint', data: { file: this.info(e.path, stat, undefined, true) } };
  }

  private info(path: string, stat: Stats, sha256?: string, withPackage = false) {
    const a = this.ctx.accounts();
    return fileInfo(path, stat, {
      owner: a.user(stat.uid),
      group: a.group(stat.gid),
      ...(sha256 !== undefined && { sha256 }),
      ...(withPackage && this.packages.manager !== undefined && { package: this.packages.owner(path) }),
    });
  }
}

/**
 * Where dropped tools sit: right in a staging place, or anywhere inside a hidden directory of one
 * (`/dev/shm/.x/miner`). Deeper trees in /tmp are unpacked archives and checkouts, whose kept mtimes
 * would all look back-dated.
 */
function stagedIn(dir: string): boolean {
  for (const root of STAGING) {
    if (dir === root) return true;
    if (!dir.startsWith(`${root}/`)) continue;
    const first = dir.slice(root.length + 1).split('/', 1)[0]!;
    return first.startsWith('.') || vanishingName(first);
  }
  return false;
}

/** mtime more than the threshold away from ctime, or before the birth time: set by hand (touch -d/-r). */
function timestomped(stat: Stats): boolean {
  if (Math.abs(stat.ctimeMs - stat.mtimeMs) > TIMESTOMP_THRESHOLD_MS) return true;
  return stat.birthtimeMs > 0 && stat.birthtimeMs - stat.mtimeMs > TIMESTOMP_THRESHOLD_MS;
}

/** SHA-256 of the host's shells and interpreters (/etc/shells and the usual ones), symlinks resolved. */
function shellHashes(ctx: CheckContext): Set<string> {
  const listed = ctx.fs.readText('/etc/shells', 1024 * 1024);
  const paths = new Set([
    ...SHELLS,
    ...(listed.ok
      ? listed
          .text!.split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('/'))
      : []),
  ]);
  const hashes = new Set<string>();
  for (const path of paths) {
    let real: string;
    try {
      real = realpathSync(ctx.fs.real(path));
    } catch {
      continue;
    }
    // a shell is hashed where it really is, inside the swept root
    const host = ctx.fs.root === '/' ? real : posix.join('/', posix.relative(ctx.fs.root, real));
    const hash = ctx.fs.sha256(host, ctx.options.maxFileBytes);
    if (hash !== undefined) hashes.add(hash);
  }
  return hashes;
}

/** The walk's limits and the places it did not go, as notes (and its unreadable directories as errors). */
export function reportWalk(ctx: CheckContext, report: WalkReport): void {
  if (report.stopped !== undefined)
    ctx.note(
      `the file walk stopped at its ${report.stopped} after ${report.entries} entries: what lies beyond is not in this run`,
    );
  const mounts = report.skippedMounts.filter((m) => !m.why.includes('(pseudo)'));
  if (mounts.length > 0)
    ctx.note(
      `not walked: ${mounts
        .map((m) => `${m.path} (${m.why})`)
        .slice(0, 20)
        .join(', ')}`,
    );
  const denied = report.unreadable.filter((u) => u.code === 'EACCES');
  if (denied.length > 0 && !ctx.privileged)
    ctx.note(`${denied.length} directories are readable by root only and were not walked`);
  // a directory removed between its listing and its reading (a busy /tmp) is not an error
  for (const u of report.unreadable)
    if (u.code !== 'ENOENT' && u.code !== 'ENOTDIR' && (u.code !== 'EACCES' || ctx.privileged))
      ctx.error(u.code, u.path);
}
