import type { SiemEvent } from '../domain/event';
import type { InputKind } from '../domain/input-kind';
import type { ParseContext, Parser } from '../domain/parser';
import type { RawRecord, RecordOrigin } from '../domain/raw-record';
import type { AuditStream } from './audit/audit-stream';
import { looksLikeJsonObject } from './json-record';
import { parserFor, sniffParser } from './registry';

export interface ParseDefaults {
  /** zone for offset-less times when the record's transport names none */
  readonly timezone: string;
  readonly year?: number;
  /** host for records that carry none, when the transport names none */
  readonly host?: string;
  /** a record longer than this (in UTF-16 code units ≈ bytes for logs) is dead-lettered unread */
  readonly maxRecordBytes: number;
  /** zones configured per host name pattern; a record's explicit zone (header) wins over them */
  readonly zoneForHost?: (host: string) => string | undefined;
}

export type ParseResult =
  | { readonly ok: true; readonly kind: InputKind; readonly events: readonly SiemEvent[] }
  | { readonly ok: false; readonly kind?: InputKind; readonly reason: string };

/**
 * The parse stage for one record: choose its parser (the transport's kind, else sniffing), apply the
 * record's own hints over the defaults, and turn every failure into a reason — never a throw. Records whose
 * events span several records (audit) go through the stream's assembly when one is given: the result is
 * then the events the record completed. `chosen`: the parser a caller already chose for it (parserOf; null:
 * none would take it), so that a record is not sniffed twice.
 */
export function parseRecord(
  record: RawRecord,
  defaults: ParseDefaults,
  now: Date,
  audit?: AuditStream<RecordOrigin>,
  chosen?: Parser | null,
): ParseResult {
  const size = recordSize(record);
  if (record.truncated === true || size > defaults.maxRecordBytes) {
    return { ok: false, reason: `record of ${size} bytes exceeds the limit of ${defaults.maxRecordBytes}` };
  }
  if (isBlank(record.text)) return { ok: false, reason: 'empty record' };
  const parser = chosen === undefined ? parserOf(record) : (chosen ?? undefined);
  if (!parser) {
    return {
      ok: false,
      reason: record.kind
        ? `no parser for input kind ${record.kind}`
        : (malformedJson(record.text) ?? 'no parser recognises this record'),
    };
  }
  const ctx: ParseContext = {
    timezone: record.timezone ?? record.sourceTimezone ?? defaults.timezone,
    year: defaults.year,
    now,
    host: record.host ?? defaults.host,
    zoneForHost: record.timezone === undefined ? defaults.zoneForHost : undefined,
  };
  try {
    const outcome =
      audit !== undefined && parser.kind === 'auditd'
        ? audit.add(record.text, record.origin, ctx)
        : parser.parse(record.text, ctx);
    return outcome.ok
      ? { ok: true, kind: parser.kind, events: outcome.events }
      : { ok: false, kind: parser.kind, reason: `${parser.kind}: ${outcome.reason}` };
  } catch (e) {
    // Parsers are written not to throw; if one does, the record still gets a reason, not a crash.
    return { ok: false, kind: parser.kind, reason: `${parser.kind} parser failed: ${(e as Error).message}` };
  }
}

/** The parser a record goes to: its transport's kind, else the one that recognises its text. */
export function parserOf(record: RawRecord): Parser | undefined {
  return record.kind ? parserFor(record.kind) : sniffParser(record.text);
}

/**
 * Whether the text is empty or white space only (`text.trim() === ''`). Nearly every record starts with a
 * printable character, which settles it without trimming: most lines end in white space (a CR, a blank),
 * and trim copied them.
 */
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first > SPACE && first < DELETE) return false;
  return text.trim() === '';
}

const SPACE = 0x20;
const DELETE = 0x7f;

/** A record's size in bytes: what its transport measured, else its text's length (≈ bytes for logs). */
export const recordSize = (record: RawRecord): number => record.bytes ?? record.text.length;

/** For a record that starts like a JSON object but that no parser took: what is wrong with its JSON. */
function malformedJson(text: string): string | undefined {
  if (!looksLikeJsonObject(text)) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    return `malformed JSON: ${(e as Error).message}`;
  }
}
