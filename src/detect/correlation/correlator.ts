import { eventCount, timestampMs } from '../../domain/event';
import type { Detection } from '../../domain/rule';
import type { CompiledRule } from '../compiled-rule';
import type { EventView } from '../sigma/event-view';
import { ecsSlot } from '../sigma/field-map';
import type { CompiledCorrelation } from './correlation-compiler';
import {
  entryPlace,
  type CorrelationEntry,
  type CorrelationKey,
  type CorrelationState,
} from './correlation-state';
import { recordTwin } from './record-twins';

const HOST_SLOT = ecsSlot('host.name');

interface Subscription {
  readonly correlation: CompiledCorrelation;
  readonly ruleIndex: number;
  /**
   * the index of an earlier subscription of the same rule grouped by the same fields, or -1: its group value
   * is this one's too (brute force, spraying and login-after-failures all group one failed login by source)
   */
  readonly sameGroupAs: number;
}

/**
 * Feeds base-rule matches into correlation windows (one per correlation, host and group-by value) and turns
 * a window that meets its condition into a detection. An event missing a group-by field enters no window. A window that fired starts over, so one burst gives
 * one alert.
 */
export class Correlator {
  private readonly subscriptions = new Map<CompiledRule, Subscription[]>();
  /** value_count: the distinct values of each window, followed as it changes (ValueTally) */
  private readonly tallies = new WeakMap<readonly CorrelationEntry[], ValueTally>();
  /** temporal_ordered: the windows known not to hold their whole sequence (completesSequence) */
  private readonly followed = new WeakSet<readonly CorrelationEntry[]>();
  /** the group values of the subscriptions of the rule being observed, by subscription */
  private readonly groups: (string | undefined)[] = [];
  /** base rules that only feed correlations (Sigma `generate: false` on every correlation using them) */
  readonly silent: ReadonlySet<CompiledRule>;

  constructor(
    correlations: readonly CompiledCorrelation[],
    private readonly state: CorrelationState,
  ) {
    const loud = new Set<CompiledRule>();
    const used = new Set<CompiledRule>();
    for (const c of correlations) {
      if (!c.active) continue;
      c.rules.forEach((rule, ruleIndex) => {
        const subs = this.subscriptions.get(rule) ?? [];
        const slots = groupSlots(c);
        const sameGroupAs = subs.findIndex((s) => groupSlots(s.correlation) === slots);
        subs.push({ correlation: c, ruleIndex, sameGroupAs });
        this.subscriptions.set(rule, subs);
        used.add(rule);
        if (c.generate) loud.add(rule);
      });
    }
    this.silent = new Set([...used].filter((r) => !loud.has(r)));
  }

  /** value_count: how many distinct values `window` holds, now that `entry` was added to it */
  private distinctValues(window: readonly CorrelationEntry[], entry: CorrelationEntry): number {
    let tally = this.tallies.get(window);
    if (tally === undefined || !tally.follow(window, entry)) {
      tally = ValueTally.of(window);
      this.tallies.set(window, tally);
    }
    return tally.distinct;
  }

  /**
   * temporal_ordered: whether `entry` completes the sequence in `window`. A window this correlator has
   * followed never held the whole sequence without firing (a window that fires is cleared, and losing its
   * oldest entries completes nothing), so only the new entry can complete it: a pair of rules is decided
   * by its neighbours (orderedPairCompleted), a longer sequence by a scan unless the entry is the newest
   * and not the last step. A window not followed yet (new, or restored from a snapshot) is scanned, and
   * followed from then on when it does not hold the sequence (one from a document not written here might).
   */
  private completesSequence(
    c: CompiledCorrelation,
    window: readonly CorrelationEntry[],
    entry: CorrelationEntry,
  ): boolean {
    if (this.followed.has(window))
      return c.rules.length === 2
        ? orderedPairCompleted(window, entry)
        : !cannotComplete(c, window, entry) && fires(c, window, () => 0);
    const holds = fires(c, window, () => 0);
    if (!holds) this.followed.add(window);
    return holds && !cannotComplete(c, window, entry);
  }

  get empty(): boolean {
    return this.subscriptions.size === 0;
  }

  /**
   * A base rule matched `view`'s event: returns the correlation detections it completes. `file`: the file
   * its record was read from, if any.
   */
  observe(rule: CompiledRule, view: EventView, out: Detection[], file?: string): void {
    const subs = this.subscriptions.get(rule);
    if (subs === undefined) return;
    const event = view.current;
    const time = timestampMs(event['@timestamp']);
    if (Number.isNaN(time)) return;
    // one event may stand for many occurrences (`message repeated N times`): it weighs N, and costs one entry
    const count = eventCount(event);
    const hostValue = view.text(HOST_SLOT);
    const host = typeof hostValue === 'string' ? hostValue : 'unknown';
    // a copy, in another encoding or file, of a record counted already (record-twins.ts)
    const twin = recordTwin(event, time, host, file);
    if (twin !== undefined && this.state.copies.isCopy(twin)) return;
    const groups = this.groups;
    for (let s = 0; s < subs.length; s++) {
      const { correlation: c, ruleIndex, sameGroupAs } = subs[s]!;
      const group = sameGroupAs >= 0 ? groups[sameGroupAs] : groupKey(c, view);
      groups[s] = group;
      if (group === undefined) continue;
      const key: CorrelationKey = { correlation: c.meta.id, host, group };
      // built field by field (spreads of optional parts cost more than the rest, at every matched event)
      const entry: { -readonly [K in keyof CorrelationEntry]: CorrelationEntry[K] } = {
        time,
        rule: ruleIndex,
      };
      if (c.valueField !== undefined) {
        const v = view.text(c.valueField.slot);
        if (v !== null) entry.value = typeof v === 'string' ? v : JSON.stringify(v);
      }
      if (count > 1) entry.count = count;
      const window = this.state.add(key, entry, time - c.timespanMs);
      const fired =
        c.type === 'temporal_ordered'
          ? this.completesSequence(c, window, entry)
          : fires(c, window, () => this.distinctValues(window, entry));
      if (fired) {
        this.state.clear(key);
        out.push({ rule: c.meta, event, relatedCount: occurrences(window) });
      }
    }
  }
}

/**
 * The group-by values of the event, encoded, or undefined when one is missing. An event with no value (or an
 * empty one) for a group-by field belongs to no group, as with rsigma-eval's GroupKey: failed logins that
 * name no account are not attempts on one account "".
 */
function groupKey(c: CompiledCorrelation, view: EventView): string | undefined {
  if (c.groupBy.length === 0) return '';
  const values: unknown[] = [];
  for (const g of c.groupBy) {
    const v = view.text(g.slot);
    if (v === null || v === '') return undefined;
    values.push(v);
  }
  return JSON.stringify(values);
}

/** A correlation's group-by fields as one string: equal for correlations grouped alike. */
const groupSlots = (c: CompiledCorrelation): string => c.groupBy.map((g) => g.slot).join(',');

/**
 * value_count's distinct values of a window, followed as the window changes rather than counted afresh at
 * every event: one source trying one account a thousand times in the timespan would otherwise cost a
 * thousand steps per attempt. A window takes an entry at its end, or at its place in time when it came behind
 * newer ones, and loses its oldest entries (CorrelationState.add): the tally puts the entry where the window
 * put it, drops what left and adds what came. Counted afresh at each out-of-order entry, a flood of one
 * address read in two files an hour apart (a zone misread in one) cost 10,000 steps per line: 200,000 lines
 * took 49 s. Any other change (a window restored from a snapshot, a new window after one fired) is counted
 * afresh.
 */
class ValueTally {
  /** the window's entries as last seen, oldest first from `head` */
  private readonly entries: CorrelationEntry[] = [];
  private head = 0;
  private readonly counts = new Map<string, number>();

  static of(window: readonly CorrelationEntry[]): ValueTally {
    const tally = new ValueTally();
    for (const e of window) tally.insert(tally.entries.length, e);
    return tally;
  }

  get distinct(): number {
    return this.counts.size;
  }

  /**
   * Follows `window` when it is the tallied one with `entry` added and its oldest entries gone; false (the
   * tally is then of no use) when it is not.
   */
  follow(window: readonly CorrelationEntry[], entry: CorrelationEntry): boolean {
    const dropped = this.entries.length - this.head + 1 - window.length;
    if (dropped < 0) return false;
    // where CorrelationState.add put it: at the end, or after the entries of its time or earlier
    const newest = this.entries.length > this.head ? this.entries[this.entries.length - 1]! : undefined;
    const at =
      newest === undefined || newest.time <= entry.time
        ? this.entries.length
        : entryPlace(this.entries, entry.time, this.head);
    this.insert(at, entry);
    // the entry's place in the window once the oldest are gone (negative: it went with them)
    const place = at - this.head - dropped;
    for (let i = 0; i < dropped; i++) this.shift();
    const last = this.entries.length - 1;
    return (
      (place < 0 || window[place] === entry) &&
      (window.length === 0 || (this.entries[this.head] === window[0] && this.entries[last] === window.at(-1)))
    );
  }

  /** an in-order entry is pushed, not spliced (a splice at the end still builds the array it returns) */
  private insert(at: number, e: CorrelationEntry): void {
    if (at === this.entries.length) this.entries.push(e);
    else this.entries.splice(at, 0, e);
    if (e.value !== undefined) this.counts.set(e.value, (this.counts.get(e.value) ?? 0) + 1);
  }

  private shift(): void {
    const e = this.entries[this.head++]!;
    if (e.value !== undefined) {
      const n = this.counts.get(e.value)! - 1;
      if (n === 0) this.counts.delete(e.value);
      else this.counts.set(e.value, n);
    }
    if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * An ordered sequence can only be completed by its last rule when the new entry is the newest in the window:
 * the window without it did not fire (a window that fires is cleared at once, and dropping entries never
 * completes a sequence), so the entry must be what completes it, and the newest entry can only be the last
 * step. This keeps a long run of one step (thousands of failed logins before any success) from rescanning
 * the whole window at every event.
 */
function cannotComplete(
  c: CompiledCorrelation,
  window: readonly CorrelationEntry[],
  entry: CorrelationEntry,
): boolean {
  return (
    c.type === 'temporal_ordered' && window[window.length - 1] === entry && entry.rule !== c.rules.length - 1
  );
}

/**
 * A two-rule ordered sequence (failures, then a success) in a window that did not hold it before `entry`
 * came: every second-step entry then precedes every first-step one, so the entry completes the pair exactly
 * when the nearest entry of the pair on its far side (after a first step, before a second) is of the other
 * step. A late entry far back in a long window costs a look at its neighbours, not a scan of the window.
 * Entries of neither step (a window kept while the correlation's rules changed) are passed over.
 */
function orderedPairCompleted(window: readonly CorrelationEntry[], entry: CorrelationEntry): boolean {
  const at = placeOf(window, entry);
  // the oldest entry of a full window, left out at once: the window is as it was, and did not hold the pair
  if (at < 0) return false;
  const step = entry.rule === 0 ? 1 : -1;
  for (let i = at + step; i >= 0 && i < window.length; i += step) {
    const rule = window[i]!.rule;
    if (rule === 0 || rule === 1) return rule !== entry.rule;
  }
  return false;
}

/** Where `entry` is in its window (time order: after every entry of its time or earlier), or -1. */
function placeOf(window: readonly CorrelationEntry[], entry: CorrelationEntry): number {
  const last = window.length - 1;
  if (window[last] === entry) return last;
  const at = entryPlace(window, entry.time) - 1;
  return window[at] === entry ? at : window.lastIndexOf(entry);
}

/** Whether the window meets the correlation's condition; `distinct` counts value_count's values. */
function fires(c: CompiledCorrelation, window: readonly CorrelationEntry[], distinct: () => number): boolean {
  switch (c.type) {
    case 'event_count':
      return holds(c, occurrences(window));
    case 'value_count':
      return holds(c, distinct());
    case 'temporal': {
      const seen = new Set<number>();
      for (const e of window) seen.add(e.rule);
      return c.condition.length === 0 ? seen.size === c.rules.length : holds(c, seen.size);
    }
    case 'temporal_ordered': {
      let next = 0;
      for (const e of window) if (e.rule === next) next++;
      return next >= c.rules.length;
    }
  }
}

/** The occurrences a window holds: each entry weighs its event's count. */
function occurrences(window: readonly CorrelationEntry[]): number {
  let n = 0;
  for (const e of window) n += e.count ?? 1;
  return n;
}

function holds(c: CompiledCorrelation, n: number): boolean {
  for (const { op, value } of c.condition) {
    const ok =
      op === 'gt'
        ? n > value
        : op === 'gte'
          ? n >= value
          : op === 'lt'
            ? n < value
            : op === 'lte'
              ? n <= value
              : n === value;
    if (!ok) return false;
  }
  return true;
}
