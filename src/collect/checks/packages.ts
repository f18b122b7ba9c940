import type { Dirent } from 'node:fs';
import type { Fact } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { errorCode, fileInfo } from '../host/host-fs';
import type { PackageIndex } from '../host/package-index';
import type { ProgramResult } from '../host/programs';
import { parseVerifyOutput } from '../parsers/package-verify';
import { BIN_DIRS, isSystemBinary, LIB_DIRS } from './system-paths';

const MAX_OUTPUT = 64 * 1024 * 1024;
/**
 * dpkg processes verifying at once, each a share of the packages: reading every packaged file is I/O
 * bound, and a deeper queue reads a cold disk faster (5.2 GB of packaged files here: 55 s with one, 35 s
 * with four).
 */
const DPKG_WORKERS = 4;

interface Verification {
  readonly manager: 'dpkg' | 'rpm';
  readonly results: Promise<ProgramResult[]>;
  readonly abort: AbortController;
}

const started = new WeakMap<CheckContext, Verification>();

/**
 * packages: every file the package manager says fails verification — `dpkg --verify` (read-only: it
 * opens dpkg's database with msdbrw_readonly, which takes no lock, dpkg lib/dpkg/dbmodify.c) or
 * `rpm -Va --noscripts` (no %verifyscript runs; rpm holds only a shared read lock on its database) —
 * with the checks it failed, whether it is a config file, and the file as it is now; then the binaries of
 * the system paths (bin directories, shared objects of the library directories) that no package owns.
 * The verification starts when the run starts and works while the other checks do.
 */
export const packagesCheck: Check = {
  name: 'packages',
  description:
    'dpkg --verify / rpm -Va per-file verdicts (checksum, mode, owner, config file), binaries in system paths owned by no package',
  prepare(ctx) {
    if (ctx.fs.root !== '/') return;
    const dpkg = ctx.fs.lstat('/var/lib/dpkg/status') ? ctx.programs.find('dpkg') : undefined;
    const rpm = dpkg === undefined ? ctx.programs.find('rpm') : undefined;
    const abort = new AbortController();
    // the run's own bound is the check's deadline, enforced in run(); this one only stops a leak
    const options = { timeoutMs: 60 * 60_000, maxBytes: MAX_OUTPUT, signal: abort.signal };
    if (dpkg !== undefined) {
      const shares = dpkgShares(ctx);
      const results = Promise.all(
        shares.map((names) => ctx.programs.run(dpkg, ['--verify', '--', ...names], options)),
      );
      started.set(ctx, { manager: 'dpkg', results, abort });
    } else if (rpm !== undefined) {
      const results = Promise.all([ctx.programs.run(rpm, ['-Va', '--noscripts', '--nodeps'], options)]);
      started.set(ctx, { manager: 'rpm', results, abort });
    }
  },
  async *run(ctx) {
    const packages = await ctx.packages();
    packages.problems.forEach((p) => ctx.error(p));
    if (packages.manager === undefined)
      ctx.note('no package database: nothing to verify, and no binary can be told apart as unowned');
    yield* await verification(ctx, packages);
    if (packages.manager !== undefined) yield* unownedBinaries(ctx, packages);
  },
};

async function verification(ctx: CheckContext, packages: PackageIndex): Promise<Fact[]> {
  const v = started.get(ctx);
  if (v === undefined) {
    if (packages.manager !== undefined)
      ctx.note(`${packages.manager} is not runnable here: files are not verified`);
    return [];
  }
  const timer = setTimeout(() => v.abort.abort(), Math.max(0, ctx.deadline - Date.now()));
  const results = await v.results.finally(() => clearTimeout(timer));
  if (results.some((r) => r.timedOut))
    ctx.note(`${v.manager} verification ran out of time: its verdicts so far are listed`);
  if (results.some((r) => r.truncated))
    ctx.note(`${v.manager} verification printed more than ${MAX_OUTPUT} bytes: the rest is not listed`);
  for (const r of results) {
    if (r.code === null && !r.timedOut)
      ctx.error(`${v.manager} could not run: ${r.stderr.trim().slice(0, 300)}`);
    const stderr = r.stderr.trim();
    if (stderr !== '' && r.code !== null)
      ctx.note(`${v.manager} said: ${stderr.split('\n').slice(0, 5).join(' / ').slice(0, 500)}`);
  }
  const parsed = parseVerifyOutput(results.map((r) => r.stdout).join('\n'));
  parsed.problems.slice(0, 100).forEach((p) => ctx.error(p));
  const a = ctx.accounts();
  return parsed.lines.map((line) => {
    const stat = line.missing ? undefined : ctx.fs.lstat(line.path);
    const owner = packages.owner(line.path);
    return {
      fact: 'package-verify',
      data: {
        manager: v.manager,
        path: line.path,
        ...(owner !== null && { package: owner }),
        conffile: line.conffile,
        missing: line.missing,
        failed: line.failed,
        ...(line.error !== undefined && { error: line.error }),
        ...(stat && {
          current: fileInfo(line.path, stat, { owner: a.user(stat.uid), group: a.group(stat.gid) }),
        }),
      },
    } satisfies Fact;
  });
}

/** The installed packages (their file lists' names, `pkg` or `pkg:arch`) dealt round-robin into shares. */
function dpkgShares(ctx: CheckContext): string[][] {
  const names = ctx.fs
    .readdir('/var/lib/dpkg/info')
    .filter((d) => d.name.endsWith('.list'))
    .map((d) => d.name.slice(0, -'.list'.length))
    .sort();
  const shares: string[][] = Array.from(
    { length: Math.min(DPKG_WORKERS, Math.max(1, names.length)) },
    () => [],
  );
  names.forEach((n, i) => shares[i % shares.length]!.push(n));
  return shares.filter((s) => s.length > 0);
}

function* unownedBinaries(ctx: CheckContext, packages: PackageIndex): Generator<Fact> {
  const a = ctx.accounts();
  for (const dir of binaryDirs(ctx)) {
    for (const d of list(ctx, dir)) {
      if (!d.isFile()) continue;
      const path = `${dir}/${d.name}`;
      if (!isSystemBinary(path, d.name) || packages.owner(path) !== null) continue;
      const stat = ctx.fs.lstat(path);
      if (!stat?.isFile()) continue;
      const sha256 = ctx.fs.sha256(path, ctx.options.maxFileBytes);
      yield {
        fact: 'unowned-binary',
        data: {
          file: fileInfo(path, stat, {
            owner: a.user(stat.uid),
            group: a.group(stat.gid),
            package: null,
            ...(sha256 && { sha256 }),
          }),
        },
      };
    }
  }
}

/** The bin directories, and each library directory with its subdirectories and their `security`. */
function binaryDirs(ctx: CheckContext): string[] {
  const dirs: string[] = [];
  const real = (d: string) => ctx.fs.lstat(d)?.isDirectory() === true;
  for (const d of BIN_DIRS) if (real(d)) dirs.push(d);
  for (const lib of LIB_DIRS) {
    if (!real(lib)) continue;
    dirs.push(lib);
    for (const sub of list(ctx, lib)) {
      if (!sub.isDirectory()) continue;
      dirs.push(`${lib}/${sub.name}`);
      if (real(`${lib}/${sub.name}/security`)) dirs.push(`${lib}/${sub.name}/security`);
    }
  }
  return dirs;
}

function list(ctx: CheckContext, dir: string): Dirent[] {
  try {
    return ctx.fs.readdir(dir);
  } catch (e) {
    ctx.error(errorCode(e), dir);
    return [];
  }
}
