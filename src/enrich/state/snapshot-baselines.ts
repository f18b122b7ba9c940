import { createHash } from 'node:crypto';
import { LruMap } from './lru-map';

/** A fact's standing against the host's earlier runs of the same check. */
export type FactStanding = 'baseline' | 'new' | 'known';

export interface SnapshotBaselineLimits {
  readonly hosts: number;
  /** facts remembered per host, least recently seen forgotten first */
  readonly factsPerHost: number;
}

/**
 * Sized like the host state: a host's facts are hashed to 16 characters, so a full host is about 0.4 MB in
 * memory and 120 KB as a snapshot. A fact forgotten by the bound looks new when it is seen again.
 */
export const DEFAULT_BASELINE_LIMITS: SnapshotBaselineLimits = { hosts: 1_000, factsPerHost: 4_096 };

interface CheckRun {
  /** the run id the check was last seen in, and how many runs of it the host has had */
  readonly run: string;
  readonly n: number;
}

class HostBaseline {
  readonly checks = new Map<string, CheckRun>();
  /** fact key hash -> the run number of its check it was last seen in */
  readonly facts: LruMap<string, number>;

  constructor(limit: number) {
    this.facts = new LruMap(limit);
  }
}

interface BaselineSnapshot {
  readonly v: 1;
  readonly host: string;
  readonly checks: readonly (readonly [string, string, number])[];
  readonly facts: readonly (readonly [string, number])[];
}

/**
 * Per host and per collect check, which facts the host's runs have shown: the memory behind "what is new
 * since the previous snapshot". A check's first run on a host is its baseline; in each later run a fact is
 * `new` unless that check's previous run (or this one, already) showed it. A run is told apart by its id,
 * so facts arriving in several chunks, or again after a replay, belong to the run they name. It is a
 * HostMemory (snapshot/restore/drop), kept beside the enrichment state on the state topic, so a restart or
 * a rebalance keeps every host's baseline.
 */
export class SnapshotBaselines {
  private readonly hosts: LruMap<string, HostBaseline>;
  private readonly limits: SnapshotBaselineLimits;

  constructor(
    options: {
      readonly limits?: Partial<SnapshotBaselineLimits>;
      readonly onChange?: (host: string) => void;
    } = {},
  ) {
    this.limits = { ...DEFAULT_BASELINE_LIMITS, ...options.limits };
    this.hosts = new LruMap(this.limits.hosts);
    this.onChange = options.onChange ?? (() => undefined);
  }

  private readonly onChange: (host: string) => void;

  /**
   * Counts `run` as a run of `check` on `host`, whether or not it has facts to compare: a check whose
   * first run listed nothing judged (no listener, no deleted executable) still had its baseline.
   */
  observeRun(host: string, check: string, run: string): void {
    this.run(host, check, run);
  }

  /** Records that the fact `key` of `check` was seen in `run` on `host`, and says how it stands. */
  observe(host: string, check: string, run: string, key: string): FactStanding {
    const { h, current } = this.run(host, check, run);
    const hash = factHash(check, key);
    const last = h.facts.get(hash);
    h.facts.set(hash, current.n);
    this.onChange(host);
    if (current.n === 1) return 'baseline';
    return last !== undefined && last >= current.n - 1 ? 'known' : 'new';
  }

  private run(host: string, check: string, run: string): { h: HostBaseline; current: CheckRun } {
    let h = this.hosts.get(host);
    if (h === undefined) {
      h = new HostBaseline(this.limits.factsPerHost);
      this.hosts.set(host, h);
    }
    const known = h.checks.get(check);
    const current = known === undefined ? { run, n: 1 } : known.run === run ? known : { run, n: known.n + 1 };
    if (current !== known) {
      h.checks.set(check, current);
      this.onChange(host);
    }
    return { h, current };
  }

  /** The host as JSON; the least recently seen facts are left out until it fits `maxBytes`. */
  snapshot(host: string, maxBytes = Infinity): string | undefined {
    const h = this.hosts.peek(host);
    if (h === undefined) return undefined;
    const checks = [...h.checks].map(([c, r]) => [c, r.run, r.n] as const);
    let facts = [...h.facts.entries()];
    let json = JSON.stringify({ v: 1, host, checks, facts } satisfies BaselineSnapshot);
    while (json.length > maxBytes && facts.length > 0) {
      // each fact is about 25 bytes: drop the oldest share that cannot fit, plus a little
      facts = facts.slice(Math.min(facts.length, Math.ceil((json.length - maxBytes) / 20) + 1));
      json = JSON.stringify({ v: 1, host, checks, facts } satisfies BaselineSnapshot);
    }
    return json;
  }

  restore(host: string, json: string): void {
    const doc = JSON.parse(json) as Partial<BaselineSnapshot>;
    if (doc.v !== 1 || doc.host !== host || !Array.isArray(doc.checks) || !Array.isArray(doc.facts))
      throw new Error(`not a snapshot baseline of host "${host}"`);
    const h = new HostBaseline(this.limits.factsPerHost);
    for (const entry of doc.checks) {
      const [check, run, n] = entry as unknown[];
      if (typeof check !== 'string' || typeof run !== 'string' || !Number.isSafeInteger(n))
        throw new Error('baseline checks must be [check, run, n]');
      h.checks.set(check, { run, n: n as number });
    }
    for (const entry of doc.facts) {
      const [hash, n] = entry as unknown[];
      if (typeof hash !== 'string' || !Number.isSafeInteger(n))
        throw new Error('baseline facts must be [hash, n]');
      h.facts.set(hash, n as number);
    }
    this.hosts.set(host, h);
  }

  drop(host: string): void {
    this.hosts.delete(host);
  }
}

/** 72 bits of SHA-256 of the check and the fact key: collisions are negligible for thousands of facts. */
const factHash = (check: string, key: string): string =>
  createHash('sha256').update(check).update('\u0000').update(key).digest('base64').slice(0, 12);
