import type { SiemEvent } from './event';
import type { ParserFields } from './field-catalogue';
import type { InputKind } from './input-kind';

/** What a parser may know beyond the record's own text. */
export interface ParseContext {
  /** IANA zone for timestamps that carry no offset */
  readonly timezone: string;
  /** year for timestamps that carry none; inferred from `now` when absent */
  readonly year?: number;
  /** the reference clock for year inference */
  readonly now: Date;
  /** host.name for records that carry none */
  readonly host?: string;
  /**
   * The zone configured for a host name (per-host patterns), consulted for the record's own host before
   * `timezone`; absent when the record's transport named its zone explicitly (a `timezone` header).
   */
  readonly zoneForHost?: (host: string) => string | undefined;
}

export type ParseOutcome =
  | { readonly ok: true; readonly events: readonly SiemEvent[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A pure function from one record to events. A record may yield several events (an AIDE report, a `ss`
 * snapshot, `message repeated N times`) or none on purpose (a column header line).
 */
export interface Parser {
  readonly kind: InputKind;
  /** the fields its events can carry, per dataset (domain/field-catalogue.ts), held to its real output by tests */
  readonly fields: ParserFields;
  /** cheap structural check used by `auto`; must not throw */
  sniff(text: string): boolean;
  parse(text: string, ctx: ParseContext): ParseOutcome;
}

export const parsed = (events: readonly SiemEvent[]): ParseOutcome => ({ ok: true, events });
export const rejected = (reason: string): ParseOutcome => ({ ok: false, reason });
