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
  if (timestamp.length !== ISO_SHAPE.length || timestamp.charCodeAt(0) === 48) return Date.parse(timestamp);
  for (let i = 0; i < ISO_SHAPE.length; i++) {
    const c = timestamp.charCodeAt(i);
    const shape = ISO_SHAPE.charCodeAt(i);
    if (shape === 48 ? c < 48 || c > 57 : c !== shape) return Date.parse(timestamp);
  }
  const month = twoDigits(timestamp, 5);
  const day = twoDigits(timestamp, 8);
  const hour = twoDigits(timestamp, 11);
  const minute = twoDigits(timestamp, 14);
  const second = twoDigits(timestamp, 17);
  // out of range: Date.parse decides (a short month's 31st rolls over in both)
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return Date.parse(timestamp);
  const year = twoDigits(timestamp, 0) * 100 + twoDigits(timestamp, 2);
  const ms = twoDigits(timestamp, 20) * 10 + timestamp.charCodeAt(22) - 48;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * The shape read directly, a 0 for each digit: UTC to the millisecond, a year from 1000 (a first digit 0
 * is left to Date.parse: Date.UTC reads years 0-99 as 1900-1999).
 */
const ISO_SHAPE = '0000-00-00T00:00:00.000Z';

const twoDigits = (text: string, at: number): number =>
  (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

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
