import type { InputKind } from './input-kind';

/** Where a record came from: enough to find it again and to report it in a dead-letter entry. */
export type RecordOrigin =
  | { readonly type: 'file'; readonly path: string; readonly line: number }
  | { readonly type: 'kafka'; readonly topic: string; readonly partition: number; readonly offset: string };

/**
 * One record exactly as it arrived (a log line, a JSON document, a snapshot), plus what its transport
 * says about it. Transport hints (Kafka key and headers, CLI flags) only fill what the record itself lacks.
 */
export interface RawRecord {
  readonly text: string;
  readonly origin: RecordOrigin;
  /** host.name for records that carry none (ss, lsof, ps, AIDE) */
  readonly host?: string;
  /** IANA zone for timestamps without an offset, named explicitly for this record (a `timezone` header) */
  readonly timezone?: string;
  /** the zone configured for the record's source (its topic), below per-host rules */
  readonly sourceTimezone?: string;
  /** the input kind, when the transport binds one; otherwise sniffed */
  readonly kind?: InputKind;
  /** the record's size in bytes, when the transport knows it (a file's line, a Kafka value); else the text's length */
  readonly bytes?: number;
  /** the record was longer than the transport would hold: `text` is only its beginning, `bytes` its true size */
  readonly truncated?: boolean;
  /** base64 of the exact bytes, when they are not valid UTF-8 (`text` has U+FFFD in their place) */
  readonly base64?: string;
}

/** How much of a record over the size limit a dead letter keeps: enough to see what it was. */
export const DEAD_LETTER_PREFIX_BYTES = 64 * 1024;

/**
 * The largest record limit that can be configured, and how far a stream's line is followed before it is
 * given up as endless (`/dev/zero` on stdin): 1 GiB.
 */
export const MAX_RECORD_LIMIT = 1 << 30;
