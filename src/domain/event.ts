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
