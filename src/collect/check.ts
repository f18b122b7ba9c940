import type { CheckName } from '../domain/snapshot-names';
import type { Fact } from '../domain/snapshot-record';
import type { AccountIndex } from './host/account-index';
import type { HostFs } from './host/host-fs';
import type { PackageIndex } from './host/package-index';
import type { ProgramRunner } from './host/programs';
import type { Mount } from './parsers/mountinfo';

/** What every check may use: the host, shared lookups built once per run, and where to report trouble. */
export interface CheckContext {
  readonly fs: HostFs;
  /** the proc file system of the host (`/proc`) */
  readonly proc: string;
  /** the run's start: "recent" and ages are measured from it */
  readonly now: Date;
  /** epoch ms by which the check must have finished; long loops stop there */
  readonly deadline: number;
  /** whether the collector runs as root (uid 0): without it, checks say what they could not see */
  readonly privileged: boolean;
  readonly options: CollectTuning;
  /** mounts of the host, for walks that must not enter /proc, /sys, network or FUSE file systems */
  mounts(): readonly Mount[];
  /** passwd and group, for names of UIDs and GIDs */
  accounts(): AccountIndex;
  /** which package owns a path (dpkg, rpm), built on first use */
  packages(): Promise<PackageIndex>;
  /** runs a read-only helper program (dpkg --verify, rpm -Va, timedatectl) with a timeout */
  readonly programs: ProgramRunner;
  /** something the check could not read or do; the check goes on */
  error(message: string, path?: string): void;
  /** a limitation of this run (not root, a tool missing, a walk cut short) */
  note(message: string): void;
}

/** Bounds and thresholds of a run. */
export interface CollectTuning {
  /** a system binary changed this many days before the run is "recent" */
  readonly recentDays: number;
  /** facts one check may yield; the rest are counted in a note */
  readonly maxFactsPerCheck: number;
  /** entries a file walk may visit */
  readonly maxWalkEntries: number;
  /** largest file a check reads or hashes */
  readonly maxFileBytes: number;
}

export const DEFAULT_TUNING: CollectTuning = {
  recentDays: 7,
  maxFactsPerCheck: 100_000,
  maxWalkEntries: 5_000_000,
  maxFileBytes: 64 * 1024 * 1024,
};

/** One named, selectable part of the sweep (`--check`, `--skip`). */
export interface Check {
  readonly name: CheckName;
  /** one line for `tuxwatch collect --help` and the README */
  readonly description: string;
  /**
   * Called for every selected check before the first one runs: a check whose work is an outside program
   * (dpkg --verify) starts it here, so it runs while the others walk the file system.
   */
  prepare?(ctx: CheckContext): void;
  run(ctx: CheckContext): AsyncIterable<Fact> | Iterable<Fact>;
}
