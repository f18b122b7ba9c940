import {
  CorrelationSnapshotError,
  parseCorrelationSnapshot,
  type CorrelationSnapshot,
} from './correlation-snapshot';
import { COPY_INDEX_SIZE, CopyIndex } from './record-twins';

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
  /**
   * The records counted, by fingerprint (record-twins.ts): kept with the windows, so that a service's
   * reloaded rules still know them; kept in memory only (a copy that comes after a restart counts again).
   */
  readonly copies: CopyIndex;
}

export interface InMemoryLimits {
  /**
   * entries kept per window; the oldest go first, an eighth of them at once (cutOver): a window at its cap
   * then holds between seven eighths of it and all of it
   */
  readonly maxEntries: number;
  /** windows kept per host; the least recently used go first */
  readonly maxGroupsPerHost: number;
  /** occurrences the memory of copies keeps (record-twins.ts CopyIndex); the oldest go first */
  readonly copies: number;
}

export interface InMemoryCorrelationOptions {
  readonly limits?: Partial<InMemoryLimits>;
  /** called after every change to a host's windows: a service marks the host's state for publishing */
  readonly onChange?: (host: string) => void;
}

/** Entries a correlation window keeps by default (the oldest go first). */
export const WINDOW_ENTRIES = 10_000;

const DEFAULT_LIMITS: InMemoryLimits = {
  maxEntries: WINDOW_ENTRIES,
  maxGroupsPerHost: 50_000,
  copies: COPY_INDEX_SIZE,
};

/** A window's place in its host's windows: the correlation and the encoded group-by values. */
interface WindowKey {
  readonly correlation: string;
  readonly group: string;
}

/** A window, and its place in its host's windows from least to most recently used. */
interface HeldWindow extends WindowKey {
  readonly entries: CorrelationEntry[];
  older: HeldWindow | undefined;
  newer: HeldWindow | undefined;
}

/**
 * One host's windows, found by correlation then group (strings whose hashes the engine's own strings
 * keep: a joined key built and hashed at every event was most of this class's cost), and linked in order
 * of use, least recent first: using a window moves it to the end with a few pointers, where a map in
 * recency order took a delete and an insert at every event (and rehashed the holes they left).
 */
class HostWindows {
  private readonly byCorrelation = new Map<string, Map<string, HeldWindow>>();
  /** the least recently used window (the first to go) */
  oldest: HeldWindow | undefined;
  private newest: HeldWindow | undefined;
  size = 0;

  get(key: WindowKey): HeldWindow | undefined {
    return this.byCorrelation.get(key.correlation)?.get(key.group);
  }

  /** Holds a new window, as the most recently used. */
  add(key: WindowKey, entries: CorrelationEntry[]): HeldWindow {
    let groups = this.byCorrelation.get(key.correlation);
    if (groups === undefined) {
      groups = new Map();
      this.byCorrelation.set(key.correlation, groups);
    }
    const held: HeldWindow = {
      correlation: key.correlation,
      group: key.group,
      entries,
      older: undefined,
      newer: undefined,
    };
    groups.set(key.group, held);
    this.append(held);
    this.size++;
    return held;
  }

  /** Marks a window as the most recently used. */
  touch(held: HeldWindow): void {
    if (held === this.newest) return;
    this.unlink(held);
    this.append(held);
  }

  delete(held: HeldWindow): void {
    this.unlink(held);
    this.size--;
    const groups = this.byCorrelation.get(held.correlation)!;
    groups.delete(held.group);
    if (groups.size === 0) this.byCorrelation.delete(held.correlation);
  }

  /** every window, least recently used first */
  *[Symbol.iterator](): IterableIterator<HeldWindow> {
    for (let held = this.oldest; held !== undefined; held = held.newer) yield held;
  }

  private append(held: HeldWindow): void {
    held.older = this.newest;
    held.newer = undefined;
    if (this.newest === undefined) this.oldest = held;
    else this.newest.newer = held;
    this.newest = held;
  }

  private unlink(held: HeldWindow): void {
    if (held.older === undefined) this.oldest = held.newer;
    else held.older.newer = held.newer;
    if (held.newer === undefined) this.newest = held.older;
    else held.newer.older = held.older;
  }
}

/**
 * Where an entry of time `time` goes in a window kept in time order (from index `from` on): after every
 * entry of that time or earlier, so entries of one time keep the order they came in.
 */
export function entryPlace(window: readonly CorrelationEntry[], time: number, from = 0): number {
  let low = from;
  let high = window.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (window[mid]!.time <= time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * How many of the oldest entries go when a list of `length` is over its cap of `max`: down to seven eighths
 * of the cap at once. One at a time, a full window moved all its entries at every event: a flood of one
 * address and account (sshd lines of one second, or more than the cap within the timespan) kept
 * password-spraying's window full, and 100,000 such lines cost 3.9 s in that alone.
 */
export function cutOver(length: number, max: number): number {
  return length - max + (max >> 3);
}

/**
 * A restored window's entries in time order, as `add` keeps them and finds their places by halving: a
 * document written here already is (a stable sort keeps entries of one time in their order).
 */
function inTimeOrder(entries: CorrelationEntry[]): CorrelationEntry[] {
  for (let i = 1; i < entries.length; i++)
    if (entries[i - 1]!.time > entries[i]!.time) return entries.sort((a, b) => a.time - b.time);
  return entries;
}

/** The key of a window in a snapshot: correlation and group, joined (CorrelationSnapshot). */
const snapshotKey = (key: WindowKey): string => `${key.correlation}\u0000${key.group}`;

export class InMemoryCorrelationState implements CorrelationState {
  readonly copies: CopyIndex;
  private readonly hosts = new Map<string, HostWindows>();
  private readonly limits: InMemoryLimits;
  private readonly onChange: (host: string) => void;

  constructor(options: InMemoryCorrelationOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.copies = new CopyIndex(this.limits.copies);
    this.onChange = options.onChange ?? (() => undefined);
  }

  add(key: CorrelationKey, entry: CorrelationEntry, since: number): readonly CorrelationEntry[] {
    let windows = this.hosts.get(key.host);
    if (windows === undefined) {
      windows = new HostWindows();
      this.hosts.set(key.host, windows);
    }
    let held = windows.get(key);
    if (held === undefined) {
      if (windows.size >= this.limits.maxGroupsPerHost && windows.oldest !== undefined)
        windows.delete(windows.oldest);
      held = windows.add(key, []);
    } else windows.touch(held);
    const window = held.entries;
    // in order (nearly always): a push, not a splice and the array of nothing it would return
    if (window.length === 0 || window[window.length - 1]!.time <= entry.time) window.push(entry);
    // out of order: after the entries of its time or earlier, found by halving (a late entry usually goes
    // far back in a long window: stepping back to its place cost the window's length)
    else window.splice(entryPlace(window, entry.time), 0, entry);
    let drop = 0;
    while (drop < window.length && window[drop]!.time < since) drop++;
    if (window.length - drop > this.limits.maxEntries) drop = cutOver(window.length, this.limits.maxEntries);
    if (drop > 0) window.splice(0, drop);
    this.onChange(key.host);
    return window;
  }

  clear(key: CorrelationKey): void {
    const windows = this.hosts.get(key.host);
    const held = windows?.get(key);
    if (held === undefined) return;
    windows!.delete(held);
    this.onChange(key.host);
  }

  /**
   * The host's windows as one JSON document, or undefined when it has none. Over `maxBytes`, the least
   * recently used windows are left out until it fits (a message the state topic refuses would lose all).
   */
  snapshot(host: string, maxBytes = Infinity): string | undefined {
    const held = this.hosts.get(host);
    if (held === undefined || held.size === 0) return undefined;
    let windows = [...held].map(
      (window) =>
        [
          snapshotKey(window),
          window.entries.map((e) => ({
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
    const windows = new HostWindows();
    for (const [k, entries] of doc.windows.slice(-this.limits.maxGroupsPerHost)) {
      const cut = k.indexOf('\u0000');
      // no separator: the window of no correlation, which no event could add to
      if (cut < 0) continue;
      const key = { correlation: k.slice(0, cut), group: k.slice(cut + 1) };
      // a key seen twice (a document not written here): the later window stands
      const earlier = windows.get(key);
      if (earlier !== undefined) windows.delete(earlier);
      windows.add(key, inTimeOrder(entries).slice(-this.limits.maxEntries));
    }
    this.hosts.set(host, windows);
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
