import type { SiemEvent } from '../domain/event';

/**
 * Events counted rather than kept: how many, their time span, and those whose time had no offset of its own
 * and was read in a zone (`event.timezone`), by zone. A parse worker tallies the events it does not send
 * back, the scan's own thread those it takes, and the two tallies add up to the summary's.
 */
export interface EventTally {
  events: number;
  /** the first and last event time, UTC ISO 8601 (compared as text) */
  first?: string;
  last?: string;
  zones?: Record<string, number>;
}

export function tallyEvent(tally: EventTally, event: SiemEvent): void {
  tally.events++;
  widen(tally, event['@timestamp']);
  const zone = event['event.timezone'];
  if (typeof zone === 'string') addZone(tally, zone, 1);
}

/** Adds a tally (a parse worker's) to another. */
export function addTally(into: EventTally, from: EventTally): void {
  into.events += from.events;
  if (from.first !== undefined) widen(into, from.first);
  if (from.last !== undefined) widen(into, from.last);
  for (const [zone, n] of Object.entries(from.zones ?? {})) addZone(into, zone, n);
}

function widen(tally: EventTally, at: string): void {
  if (tally.first === undefined || at < tally.first) tally.first = at;
  if (tally.last === undefined || at > tally.last) tally.last = at;
}

function addZone(tally: EventTally, zone: string, n: number): void {
  const zones = (tally.zones ??= {});
  zones[zone] = (zones[zone] ?? 0) + n;
}
