import type { MutableEvent, SiemEvent } from '../../domain/event';
import type { ParserFields } from '../../domain/field-catalogue';
import type { InputKind } from '../../domain/input-kind';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { baseEvent, observedAt } from './event-base';
import { guarded, recordLines } from './record-limits';
import { firstLine } from '../text-checks';

/** A tool's table output (`ss`, `lsof`, `ps`): a header, then one row per socket or process. */
export interface SnapshotTable {
  readonly kind: InputKind;
  readonly fields: ParserFields;
  readonly dataset: string;
  readonly header: RegExp;
  /** how a row looks, for sniffing */
  readonly row: RegExp;
  /**
   * text every row holds, looked for before `row` is tried: sniffing tries the row on every line of every
   * other format, and a pattern of many `\S+\s+` fields fails slowly
   */
  readonly rowHolds?: string;
  /** the event of one row, built on the base fields, or why the row is not one */
  readonly toEvent: (line: string, base: MutableEvent) => SiemEvent | string;
}

/**
 * The parser of a snapshot table. A record is one line or a whole snapshot; header lines yield nothing,
 * every other line one event observed at ctx.now (snapshots carry no time of their own), and one bad line
 * rejects the record with its line number.
 */
export function snapshotTableParser(table: SnapshotTable): Parser {
  const parse = (text: string, ctx: ParseContext) => {
    const lines = recordLines(text);
    if (!lines.ok) return rejected(lines.reason);
    const timestamp = observedAt(ctx);
    const events: SiemEvent[] = [];
    for (const [i, line] of lines.lines.entries()) {
      if (table.header.test(line)) continue;
      const base = baseEvent({ timestamp, original: line, kind: table.kind, dataset: table.dataset }, ctx);
      const event = table.toEvent(line, base);
      if (typeof event === 'string') return rejected(`line ${i + 1}: ${event}`);
      events.push(event);
    }
    return parsed(events);
  };
  const either = headerOrRow(table);
  const headerStart = literalStart(table.header);
  return {
    kind: table.kind,
    fields: table.fields,
    sniff(text) {
      const first = firstLine(text.trimStart());
      if (either !== undefined) return either.test(first);
      if (first.startsWith(headerStart) && table.header.test(first)) return true;
      return (table.rowHolds === undefined || first.includes(table.rowHolds)) && table.row.test(first);
    },
    parse: guarded(parse),
  };
}

/**
 * The header and the row as one pattern, `(?:header)|(?:row)`, for the tables with no text to look for first:
 * sniffing tries every table on every line of every other format, and one regex call costs about what two
 * calls' failing at the first character do. Undefined where the two cannot be joined as they are: different
 * flags, or a backreference that the join would renumber.
 */
function headerOrRow(table: SnapshotTable): RegExp | undefined {
  const { header, row } = table;
  if (table.rowHolds !== undefined || header.flags !== row.flags || /[gy]/.test(row.flags)) return undefined;
  if (BACKREFERENCE.test(header.source) || BACKREFERENCE.test(row.source)) return undefined;
  return new RegExp(`(?:${header.source})|(?:${row.source})`, row.flags);
}

const BACKREFERENCE = /\\[1-9]|\\k</;

/**
 * The text every match of an anchored pattern starts with (`^COMMAND\s+PID` -> `COMMAND`), or '' when its
 * source does not say so plainly: a search for it is cheaper than a regex call that fails at the first
 * character. An alternation anywhere, or flags that move `^` or fold case, give ''.
 */
function literalStart(pattern: RegExp): string {
  if (/[gimy]/.test(pattern.flags) || pattern.source.includes('|')) return '';
  return /^\^([A-Za-z]+)(?![*+?{])/.exec(pattern.source)?.[1] ?? '';
}
