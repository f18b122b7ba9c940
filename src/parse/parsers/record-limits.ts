import type { ParseContext, ParseOutcome } from '../../domain/parser';
import { rejected } from '../../domain/parser';
import { parseJsonRecord, type JsonRecordOutcome } from '../json-record';

/**
 * Structure limits shared by the evidence parsers. The record size itself is bounded before a parser
 * runs (parse-record); these bound what a small record can still expand into.
 */
export const LIMITS = {
  /** events one record (AIDE report, ss/lsof/ps snapshot, osquery batch) may produce */
  maxEvents: 100_000,
  /** nesting of a JSON record: ECS/Wazuh/osquery documents are 5-6 levels deep */
  maxJsonDepth: 64,
  /** flattened fields of one JSON event */
  maxFields: 5_000,
  /** one line of ss/lsof/ps output */
  maxLineLength: 65_536,
  /** a file path (PATH_MAX is 4096 on Linux) */
  maxPathLength: 4_096,
} as const;

/**
 * Runs a parser body and turns anything it throws into a rejection: a parser bug must become a
 * dead-letter reason for that record, never a crashed stream.
 */
export function guarded(
  body: (text: string, ctx: ParseContext) => ParseOutcome,
): (text: string, ctx: ParseContext) => ParseOutcome {
  return (text, ctx) => {
    try {
      if (Number.isNaN(ctx.now.getTime())) return rejected('parse context has an invalid clock');
      return body(text, ctx);
    } catch (e) {
      return rejected(`internal parser error: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** Depth of the deepest `{`/`[` nesting, counted without parsing (strings are skipped). */
export function jsonNestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** parseJsonRecord behind the nesting limit (deep nesting would exhaust the stack further down). */
export function parseBoundedJson(text: string): JsonRecordOutcome {
  if (jsonNestingExceeds(text, LIMITS.maxJsonDepth)) {
    return { ok: false, reason: `JSON nested deeper than ${LIMITS.maxJsonDepth} levels` };
  }
  return parseJsonRecord(text);
}

/** Non-empty lines of a text record, or a reason when one is over the line limit. */
export function recordLines(text: string): { ok: true; lines: string[] } | { ok: false; reason: string } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const long = lines.findIndex((l) => l.length > LIMITS.maxLineLength);
  if (long >= 0)
    return { ok: false, reason: `line ${long + 1} is longer than ${LIMITS.maxLineLength} characters` };
  if (lines.length > LIMITS.maxEvents) return { ok: false, reason: `more than ${LIMITS.maxEvents} lines` };
  return { ok: true, lines };
}
