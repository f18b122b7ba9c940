import {
  CorrelationSnapshotError,
  parseCorrelationSnapshot,
  type CorrelationSnapshot,
} from './correlation-snapshot';

/**
 * One base-rule match kept for a correlation: what the correlation decides on, not the event (an alert
 * counts its related events and copies none, so a window of thousands of matches stays small).
 */
export interface CorrelationEntry {
  /** event time, epoch ms */
  readonly time: number;
  /** index of the matched rule in the correlation's `rules` */
  readonly rule: number;
  /** value_count: the counted field's value */
  readonly value?: string;
  /** occurrences the matched event stands for (`tuxwatch.event.count`); absent means 1 */
  readonly count?: number;
}

/** Where a correlation's window lives: one host, one group-by value. */
export interface CorrelationKey {
  readonly correlation: string;
  readonly host: string;
  /** the group-by values, encoded */
  readonly group: string;
}

/**
 * Per-host correlation windows, behind an interface so a service can keep them elsewhere (or bound them
 * differently) than the in-memory default.
 */
export interface CorrelationState {
  /** Adds an entry, forgets entries older than `since`, and returns the window oldest first. */
  add(key: CorrelationKey, entry: CorrelationEntry, since: number): readonly CorrelationEntry[];
  /** Forgets a window (after it produced an alert). */
  clear(key: CorrelationKey): void;
}

export interface InMemoryLimits {
  /** entries kept per window; the oldest go first */
  readonly maxEntries: number;
  /** windows kept per host; the least recently used go first */
  readonly maxGroupsPerHost: number;
}

export interface InMemoryCorrelationOptions {
  readonly limits?: Partial<InMemoryLimits>;
  /** called after every change to a host's windows: a service marks the host's state for publishing */
  readonly onChange?: (host: string) => void;
}

/** Entries a correlation window keeps by default (the oldest go first). */
export const WINDOW_ENTRIES = 10_000;

const DEFAULT_LIMITS: InMemoryLimits = { maxEntries: WINDOW_ENTRIES, maxGroupsPerHost: 50_000 };

export class InMemoryCorrelationState implements CorrelationState {
  private readonly hosts = new Map<string, Map<string, CorrelationEntry[]>>();
  private readonly limits: InMemoryLimits;
  private readonly onChange: (host: string) => void;

  constructor(options: InMemoryCorrelationOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.onChange = options.onChange ?? (() => undefined);
  }

  add(key: CorrelationKey, entry: CorrelationEntry, since: number): readonly CorrelationEntry[] {
    let groups = this.hosts.get(key.host);
    if (groups === undefined) {
      groups = new Map();
      this.hosts.set(key.host, groups);
    }
    const k = `${key.correlation}\u0000${key.group}`;
    let window = groups.get(k);
    if (window === undefined) {
      window = [];
      if (groups.size >= this.limits.maxGroupsPerHost) {
        const oldest = groups.keys().next();
        if (!oldest.done) groups.delete(oldest.value);
      }
    } else groups.delete(k); // re-inserted below: Map order is recency
    groups.set(k, window);
    // keep time order even when events arrive out of order
    let at = window.length;
    while (at > 0 && window[at - 1]!.time > entry.time) at--;
    // in order (nearly always): a push, not a splice and the array of nothing it would return
    if (at === window.length) window.push(entry);
    else window.splice(at, 0, entry);
    let drop = 0;
    while (drop < window.length && window[drop]!.time < since) drop++;
    if (window.length - drop > this.limits.maxEntries) drop = window.length - this.limits.maxEntries;
    if (drop > 0) window.splice(0, drop);
    this.onChange(key.host);
    return window;
  }

  clear(key: CorrelationKey): void {
    if (this.hosts.get(key.host)?.delete(`${key.correlation}\u0000${key.group}`)) this.onChange(key.host);
  }

  /**
   * The host's windows as one JSON document, or undefined when it has none. Over `maxBytes`, the least
   * recently used windows are left out until it fits (a message the state topic refuses would lose all).
   */
  snapshot(host: string, maxBytes = Infinity): string | undefined {
    const groups = this.hosts.get(host);
    if (groups === undefined || groups.size === 0) return undefined;
    let windows = [...groups].map(
      ([k, entries]) =>
        [
          k,
          entries.map((e) => ({
            time: e.time,
            rule: e.rule,
            ...(e.value !== undefined && { value: e.value }),
            ...(e.count !== undefined && { count: e.count }),
          })),
        ] as const,
    );
    for (;;) {
      const json = JSON.stringify({ v: 1, host, windows } satisfies CorrelationSnapshot);
      if (Buffer.byteLength(json) <= maxBytes || windows.length === 0) return json;
      windows = windows.slice(Math.ceil(windows.length / 10));
    }
  }

  /** Replaces the host's windows with a snapshot's; throws on a document that is not one. */
  restore(host: string, json: string): void {
    const doc = parseCorrelationSnapshot(json);
    if (doc.host !== host)
      throw new CorrelationSnapshotError(`snapshot is for host "${doc.host}", not "${host}"`);
    const groups = new Map<string, CorrelationEntry[]>();
    for (const [k, entries] of doc.windows.slice(-this.limits.maxGroupsPerHost))
      groups.set(k, entries.slice(-this.limits.maxEntries));
    this.hosts.set(host, groups);
  }

  /** Forgets the host's windows (its partition went to another consumer). */
  drop(host: string): void {
    this.hosts.delete(host);
  }

  /** windows held, for metrics and tests */
  get size(): number {
    let n = 0;
    for (const g of this.hosts.values()) n += g.size;
    return n;
  }
}
