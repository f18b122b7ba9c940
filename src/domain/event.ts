/**
 * A normalized event: ECS fields keyed by their dotted name ("user.name", "file.path").
 * Flat keys keep rule matching a hash lookup; `toNested` turns them into ECS documents for output.
 */
export type Scalar = string | number | boolean;
export type FieldValue = Scalar | null | readonly Scalar[];

export interface SiemEvent {
  /** ISO 8601 UTC with `Z`, always present */
  readonly '@timestamp': string;
  /** the raw record (or the part of a multi-event record) this event came from */
  readonly 'event.original': string;
  readonly [field: string]: FieldValue | undefined;
}

export type MutableEvent = {
  '@timestamp': string;
  'event.original': string;
  [field: string]: FieldValue | undefined;
};

/**
 * One event standing for several occurrences of the same message (rsyslog's `message repeated N times`,
 * PAM's `N more authentication failures`): a positive integer, absent meaning 1. Whatever counts
 * occurrences (correlation windows, alert folding) adds it; nothing expands it into N events, so a forged
 * count costs what one event costs.
 */
export const EVENT_COUNT = 'tuxwatch.event.count';

/** How many occurrences `event` stands for: its `tuxwatch.event.count`, 1 when absent or not a count. */
export function eventCount(event: Readonly<Record<string, unknown>>): number {
  const n = event[EVENT_COUNT];
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 1 ? n : 1;
}

/**
 * A record's exact bytes, base64, on its events (and alerts) when they are not valid UTF-8: the record is
 * read leniently (U+FFFD in `event.original` and the fields), and this keeps what it really said.
 */
export const ORIGINAL_BASE64 = 'tuxwatch.original.base64';

/**
 * An `@timestamp` as epoch milliseconds, NaN when it is not a time: `Date.parse`'s answer, read directly for
 * the shape every parser writes (`2026-11-28T03:22:48.123Z`, a year from 1000) and by `Date.parse` for any
 * other. Correlation, alerting and folding read a matched event's time several times; `Date.parse` was
 * a tenth of what correlating one cost.
 */
export function timestampMs(timestamp: string): number {
  const t = timestamp;
  if (
    t.length !== 24 ||
    t.charCodeAt(4) !== 45 || // -
    t.charCodeAt(7) !== 45 ||
    t.charCodeAt(10) !== 84 || // T
    t.charCodeAt(13) !== 58 || // :
    t.charCodeAt(16) !== 58 ||
    t.charCodeAt(19) !== 46 || // .
    t.charCodeAt(23) !== 90 // Z
  )
    return Date.parse(t);
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  const ms = digits(t, 20, 3);
  // a year before 1000 (Date.UTC reads 0-99 as 1900-1999), a field out of range or not digits: Date.parse
  // decides (a short month's 31st rolls over in both)
  if (
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    ms < 0
  )
    return Date.parse(t);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

const QUARTER_HOUR_S = 15 * 60;

/**
 * The second of an instant (epoch ms) within its quarter hour, 0–899: the same in every reading of one
 * wall-clock time, whatever zone, pass through a repeated hour or year it was read in, since every zone's
 * offset, every clock change and every year is a whole number of quarter hours. Two encodings of one record
 * agree on it even where one of them had to guess its zone (auth.log; record-twins.ts, guessed-clock.ts).
 */
export function quarterHourSecond(ms: number): number {
  // twice round: a negative remainder comes back in range (and -0 as 0)
  return ((Math.floor(ms / 1000) % QUARTER_HOUR_S) + QUARTER_HOUR_S) % QUARTER_HOUR_S;
}

/** The number `count` decimal digits at `at` write, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

export function fieldString(event: SiemEvent, field: string): string | undefined {
  const v = event[field];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Expands dotted keys into nested objects ("a.b": 1 -> {a: {b: 1}}) for ECS JSON output. */
export function toNested(flat: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(flat).sort()) {
    const value = flat[key];
    if (value === undefined) continue;
    if (key.startsWith('@')) {
      out[key] = value;
      continue;
    }
    const parts = key.split('.');
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        node[part] = Object.create(null) as Record<string, unknown>;
      }
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}
