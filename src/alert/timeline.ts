import type { Alert } from '../domain/alert';
import type { FoldedAlert } from './alert-folder';

/** Alerts in timeline order: by `@timestamp`, ties by severity (most severe first), then by rule id. */
export function timelineOrder(a: Alert, b: Alert): number {
  const ta = String(a.fields['@timestamp']);
  const tb = String(b.fields['@timestamp']);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const sa = Number(a.fields['event.severity'] ?? 0);
  const sb = Number(b.fields['event.severity'] ?? 0);
  if (sa !== sb) return sb - sa;
  const ra = String(a.fields['rule.id']);
  const rb = String(b.fields['rule.id']);
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/**
 * The alerts of a scan, one per finding, as folding last left each: a finding folded again later (a repeat,
 * a process fact) replaces its earlier state in place. `sorted()` is the timeline; the sort is stable, so
 * alerts equal in time, severity and rule keep the order their findings were first seen in. Memory is the
 * alerts, never the input: `@timestamp` strings are UTC ISO 8601 of one shape, so they sort as text.
 */
export class Timeline {
  private readonly alerts = new Map<string, Alert>();

  add(folded: readonly FoldedAlert[]): void {
    for (const { alert } of folded) this.alerts.set(alert.id, alert);
  }

  get size(): number {
    return this.alerts.size;
  }

  sorted(): Alert[] {
    return [...this.alerts.values()].sort(timelineOrder);
  }
}
