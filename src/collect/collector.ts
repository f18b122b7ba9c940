import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CHECK_NAMES, SNAPSHOT_RECORD_TYPE, type CheckName } from '../domain/snapshot-names';
import { SnapshotRecord, type Fact, type FactData } from '../domain/snapshot-record';
import { DEFAULT_TUNING, type Check, type CheckContext, type CollectTuning } from './check';
import { CHECKS } from './checks';
import { AccountIndex } from './host/account-index';
import { HostFs } from './host/host-fs';
import { PackageIndex } from './host/package-index';
import { ProgramRunner } from './host/programs';
import { parseMountinfo, type Mount } from './parsers/mountinfo';

export interface CollectOptions {
  /** checks to run, in CHECK_NAMES order whatever order they are given in */
  readonly checks?: readonly CheckName[];
  readonly host: string;
  /** the host's file system root; `/` on the live host */
  readonly root?: string;
  readonly proc?: string;
  /** per check, in milliseconds */
  readonly timeoutMs?: number;
  readonly tuning?: Partial<CollectTuning>;
  /** defaults to running as uid 0 */
  readonly privileged?: boolean;
  readonly now?: () => Date;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;

/**
 * `tuxwatch collect`: runs the selected checks one after the other over the live host and yields one
 * record per fact, then one `check` record per check with its status, duration, fact count, peak memory,
 * errors and notes. Facts stream out as they are found; nothing accumulates. A check that throws or runs
 * past its time ends with that status and the next one runs. A fact the record schema refuses (a path
 * longer than PATH_MAX, say) is not written: it becomes an error of its check.
 */
export async function* collect(options: CollectOptions): AsyncGenerator<SnapshotRecord> {
  const clock = options.now ?? (() => new Date());
  const started = clock();
  const run = randomUUID();
  const at = started.toISOString();
  const selected = CHECKS.filter((c) => (options.checks ?? CHECK_NAMES).includes(c.name));
  const shared = sharedLookups(options);
  const contexts = new Map<Check, CheckRun>();
  for (const check of selected) {
    const ctx = new CheckRun(shared, options, started);
    contexts.set(check, ctx);
    try {
      check.prepare?.(ctx);
    } catch (e) {
      ctx.error(`could not start: ${(e as Error).message}`);
    }
  }
  for (const check of selected) {
    const ctx = contexts.get(check)!;
    const begin = performance.now();
    ctx.restart(clock());
    let facts = 0;
    let dropped = 0;
    let status: FactData<'check'>['status'] = 'ok';
    try {
      for await (const fact of check.run(ctx)) {
        if (facts >= ctx.options.maxFactsPerCheck) {
          dropped++;
          continue;
        }
        const record = {
          type: SNAPSHOT_RECORD_TYPE,
          v: 1,
          run,
          host: options.host,
          at,
          check: check.name,
          ...fact,
        };
        const valid = SnapshotRecord.safeParse(record);
        if (!valid.success) {
          const issue = valid.error.issues[0]!;
          ctx.error(`${fact.fact} not written: ${issue.path.join('.')}: ${issue.message}`);
          continue;
        }
        facts++;
        yield record as SnapshotRecord;
      }
    } catch (e) {
      status = 'failed';
      ctx.error(`check failed: ${(e as Error).message}`);
    }
    if (dropped > 0)
      ctx.note(`${dropped} more facts over the limit of ${ctx.options.maxFactsPerCheck} were not written`);
    if (status === 'ok' && ctx.timedOut) status = 'timeout';
    else if (status === 'ok' && (ctx.notes.length > 0 || ctx.errors.length > 0)) status = 'degraded';
    const summary: Fact = {
      fact: 'check',
      data: {
        status,
        duration_ms: Math.round(performance.now() - begin),
        facts,
        max_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
        errors: ctx.errors.slice(0, 1000),
        notes: ctx.notes.slice(0, 1000),
      },
    };
    yield {
      type: SNAPSHOT_RECORD_TYPE,
      v: 1,
      run,
      host: options.host,
      at,
      check: check.name,
      ...summary,
    } as SnapshotRecord;
  }
}

interface SharedLookups {
  readonly fs: HostFs;
  readonly proc: string;
  readonly programs: ProgramRunner;
  readonly tuning: CollectTuning;
  mounts(): readonly Mount[];
  accounts(): AccountIndex;
  packages(): Promise<PackageIndex>;
}

/** What the checks of one run share, each built on first use. */
function sharedLookups(options: CollectOptions): SharedLookups {
  const fs = new HostFs(options.root ?? '/');
  const proc = options.proc ?? '/proc';
  const programs = new ProgramRunner();
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  let mounts: readonly Mount[] | undefined;
  let accounts: AccountIndex | undefined;
  let packages: Promise<PackageIndex> | undefined;
  return {
    fs,
    proc,
    programs,
    tuning,
    mounts: () => {
      if (mounts === undefined) {
        try {
          mounts = fs.root === '/' ? parseMountinfo(readFileSync(`${proc}/self/mountinfo`, 'utf8')) : [];
        } catch {
          mounts = [];
        }
      }
      return mounts;
    },
    accounts: () => (accounts ??= AccountIndex.read(fs, tuning.maxFileBytes)),
    packages: () => (packages ??= PackageIndex.build(fs, programs, tuning.maxFileBytes)),
  };
}

/** One check's context: the shared lookups, its own deadline, errors and notes. */
class CheckRun implements CheckContext {
  readonly fs: HostFs;
  readonly proc: string;
  readonly programs: ProgramRunner;
  readonly options: CollectTuning;
  readonly privileged: boolean;
  readonly errors: { path?: string; message: string }[] = [];
  readonly notes: string[] = [];
  /** the run's start, for every check alike */
  readonly now: Date;
  deadline: number;

  constructor(
    private readonly shared: SharedLookups,
    private readonly collectOptions: CollectOptions,
    now: Date,
  ) {
    this.fs = shared.fs;
    this.proc = shared.proc;
    this.programs = shared.programs;
    this.options = shared.tuning;
    this.privileged = collectOptions.privileged ?? process.geteuid?.() === 0;
    this.now = now;
    this.deadline = now.getTime() + (collectOptions.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
  }

  /** The check's own clock starts when it runs, not when it was prepared. */
  restart(now: Date): void {
    this.deadline = now.getTime() + (this.collectOptions.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
  }

  get timedOut(): boolean {
    return Date.now() > this.deadline;
  }

  mounts(): readonly Mount[] {
    return this.shared.mounts();
  }

  accounts(): AccountIndex {
    return this.shared.accounts();
  }

  packages(): Promise<PackageIndex> {
    return this.shared.packages();
  }

  error(message: string, path?: string): void {
    if (this.errors.length < 10_000) this.errors.push(path !== undefined ? { path, message } : { message });
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }
}
