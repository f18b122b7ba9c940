import type { FieldValue, SiemEvent } from '../domain/event';

/** Small readers shared by the enrichers; events are never mutated, additions make a new object. */

export const hostOf = (event: SiemEvent): string => {
  const host = event['host.name'];
  return typeof host === 'string' && host !== '' ? host : 'unknown';
};

export function withFields(event: SiemEvent, facts: Readonly<Record<string, FieldValue>>): SiemEvent {
  for (const _ in facts) return { ...event, ...facts };
  return event;
}

/** A non-empty string field. */
export function text(event: SiemEvent, field: string): string | undefined {
  const v = event[field];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function integer(event: SiemEvent, field: string): number | undefined {
  const v = event[field];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export function flag(event: SiemEvent, field: string): boolean | undefined {
  const v = event[field];
  return typeof v === 'boolean' ? v : undefined;
}

/** Whether a field equals `value`, or, for an array field, holds it. */
export function holds(event: SiemEvent, field: string, value: string): boolean {
  const v = event[field];
  return Array.isArray(v) ? v.includes(value) : v === value;
}

/** Milliseconds since the epoch of an ISO time field. */
export function time(event: SiemEvent, field: string): number | undefined {
  const v = event[field];
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
