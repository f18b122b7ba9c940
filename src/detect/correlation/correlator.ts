import { eventCount } from '../../domain/event';
import type { Detection } from '../../domain/rule';
import type { CompiledRule } from '../compiled-rule';
import type { EventView } from '../sigma/event-view';
import { ecsSlot } from '../sigma/field-map';
import type { CompiledCorrelation } from './correlation-compiler';
import type { CorrelationEntry, CorrelationKey, CorrelationState } from './correlation-state';

const HOST_SLOT = ecsSlot('host.name');

interface Subscription {
  readonly correlation: CompiledCorrelation;
  readonly ruleIndex: number;
}

/**
 * Feeds base-rule matches into correlation windows (one per correlation, host and group-by value) and turns
 * a window that meets its condition into a detection. An event missing a group-by field enters no window. A window that fired starts over, so one burst gives
 * one alert.
 */
export class Correlator {
  private readonly subscriptions = new Map<CompiledRule, Subscription[]>();
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
        subs.push({ correlation: c, ruleIndex });
        this.subscriptions.set(rule, subs);
        used.add(rule);
        if (c.generate) loud.add(rule);
      });
    }
    this.silent = new Set([...used].filter((r) => !loud.has(r)));
  }

  get empty(): boolean {
    return this.subscriptions.size === 0;
  }

  /** A base rule matched `view`'s event: returns the correlation detections it completes. */
  observe(rule: CompiledRule, view: EventView, out: Detection[]): void {
    const subs = this.subscriptions.get(rule);
    if (subs === undefined) return;
    const event = view.current;
    const time = Date.parse(event['@timestamp']);
    if (Number.isNaN(time)) return;
    // one event may stand for many occurrences (`message repeated N times`): it weighs N, and costs one entry
    const count = eventCount(event);
    const hostValue = view.text(HOST_SLOT);
    const host = typeof hostValue === 'string' ? hostValue : 'unknown';
    for (const { correlation: c, ruleIndex } of subs) {
      const values = c.groupBy.map((g) => view.text(g.slot));
      // An event with no value (or an empty one) for a group-by field belongs to no group, as with
      // rsigma-eval's GroupKey: failed logins that name no account are not attempts on one account "".
      if (values.some((v) => v === null || v === '')) continue;
      const group = values.length === 0 ? '' : JSON.stringify(values);
      const key: CorrelationKey = { correlation: c.meta.id, host, group };
      let value: string | undefined;
      if (c.valueField !== undefined) {
        const v = view.text(c.valueField.slot);
        if (v !== null) value = typeof v === 'string' ? v : JSON.stringify(v);
      }
      const entry: CorrelationEntry = {
        time,
        rule: ruleIndex,
        ...(value !== undefined && { value }),
        ...(count > 1 && { count }),
      };
      const window = this.state.add(key, entry, time - c.timespanMs);
      if (cannotComplete(c, window, entry)) continue;
      if (fires(c, window)) {
        this.state.clear(key);
        out.push({ rule: c.meta, event, relatedCount: occurrences(window) });
      }
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

function fires(c: CompiledCorrelation, window: readonly CorrelationEntry[]): boolean {
  switch (c.type) {
    case 'event_count':
      return holds(c, occurrences(window));
    case 'value_count': {
      const values = new Set<string>();
      for (const e of window) if (e.value !== undefined) values.add(e.value);
      return holds(c, values.size);
    }
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
