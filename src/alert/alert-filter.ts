import type { Alert } from '../domain/alert';
import { LEVELS, SEVERITY, type Level } from '../domain/rule';
import { parseDuration } from './duration';

/** What a responder asked to see (`--min-severity`, `--since`/`--until`, `--rule`). */
export interface AlertFilter {
  readonly minSeverity?: Level;
  /** epoch ms, inclusive */
  readonly since?: number;
  /** epoch ms, inclusive */
  readonly until?: number;
  /** rule ids; empty or absent: every rule */
  readonly rules?: ReadonlySet<string>;
}

/**
 * Whether an alert passes the filter. The time window applies to event time: a folded alert is kept when
 * one of its occurrences (`event.start` … `event.end`, else `@timestamp`) falls inside it, so a finding that
 * began before `--since` and went on inside the window is not hidden.
 */
export function passes(alert: Alert, filter: AlertFilter): boolean {
  const f = alert.fields;
  if (filter.minSeverity !== undefined && severityOf(alert) < SEVERITY[filter.minSeverity]) return false;
  if (filter.rules !== undefined && filter.rules.size > 0 && !filter.rules.has(String(f['rule.id'])))
    return false;
  if (filter.since === undefined && filter.until === undefined) return true;
  const start = Date.parse(String(f['event.start'] ?? f['@timestamp']));
  const end = Date.parse(String(f['event.end'] ?? f['@timestamp']));
  if (filter.since !== undefined && end < filter.since) return false;
  if (filter.until !== undefined && start > filter.until) return false;
  return true;
}

/** `event.severity` of an alert (CONTRACT §2), 0 when absent. */
export const severityOf = (alert: Alert): number => Number(alert.fields['event.severity'] ?? 0);

/** A level name, case-insensitive, with `info` for informational; undefined when it is none. */
export function parseLevel(text: string): Level | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'info') return 'informational';
  return (LEVELS as readonly string[]).includes(t) ? (t as Level) : undefined;
}

/**
 * A point in time for `--since`/`--until`: ISO 8601 (a date, or a date and time; without an offset it is
 * UTC), or a duration back from `now` (`90m`, `36h`, `7d`, as `--suppress-window` takes them). Undefined
 * when it is neither.
 */
export function parseInstant(text: string, now: number): number | undefined {
  const t = text.trim();
  const back = parseDuration(t);
  if (back !== undefined && /[a-z]$/.test(t)) return now - back;
  const iso = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!iso) return undefined;
  const withZone = iso[1] !== undefined ? t : /[T ]/.test(t) ? `${t}Z` : `${t}T00:00:00Z`;
  const ms = Date.parse(withZone.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? ms : undefined;
}
