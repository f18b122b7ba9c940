import type { SiemEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { epochToUtc } from '../../normalize/time';
import { getPath, looksLikeJsonObject, type JsonObject } from '../json-record';
import { baseEvent, integer, text } from './event-base';
import { mapOsqueryRow, tableOf, type OsqueryRow } from './osquery-tables';
import { guarded, LIMITS, parseBoundedJson } from './record-limits';
import { OSQUERY_FIELDS } from '../fields/osquery-fields';

/**
 * osquery results log: the event format (one row: `columns` + `action`), the batch format
 * (`diffResults.added/removed`) and snapshots (`snapshot: [...]`); one event per row. @timestamp is
 * `unixTime` (when the query ran) except for file_events rows, whose own `time` column is when the
 * file changed (unixTime then goes to event.created). hostIdentifier (or `hostname` in older logs) is
 * host.name. Which table a row came from is told by the query name, else by its columns (osquery-tables).
 */
export const osqueryParser: Parser = {
  kind: 'osquery',
  fields: [OSQUERY_FIELDS],
  sniff: (text) =>
    looksLikeJsonObject(text) &&
    /"(?:hostIdentifier|unixTime|calendarTime)"\s*:/.test(text) &&
    /"(?:columns|snapshot|diffResults)"\s*:/.test(text),
  parse: guarded(parseOsquery),
};

interface Row {
  readonly row: OsqueryRow;
  readonly diff: string;
}

function parseOsquery(raw: string, ctx: ParseContext) {
  const json = parseBoundedJson(raw);
  if (!json.ok) return rejected(json.reason);
  const record = json.value;
  const name = text(record['name']);
  if (name === undefined) return rejected('osquery result has no query name');
  const unix = integer(record['unixTime']);
  if (unix === undefined || unix > 253402300799) return rejected('osquery result has no valid unixTime');
  const ran = epochToUtc(unix);
  const host =
    text(record['hostIdentifier']) ??
    text(record['hostname']) ??
    text(getPath(record, 'decorations.hostname'));
  const rows = rowsOf(record);
  if (typeof rows === 'string') return rejected(rows);
  const single = rows.length === 1 && record['columns'] !== undefined;

  const events: SiemEvent[] = [];
  for (const { row, diff } of rows) {
    const original = single
      ? raw
      : JSON.stringify({
          name,
          hostIdentifier: host,
          unixTime: record['unixTime'],
          action: diff,
          columns: row,
        });
    const table = tableOf(name, row);
    const base = baseEvent({ timestamp: ran, original, kind: 'osquery', dataset: 'osquery', host }, ctx);
    base['tuxwatch.osquery.query'] = name;
    base['tuxwatch.osquery.diff'] = diff;
    const counter = text(record['counter']);
    if (counter !== undefined) base['tuxwatch.osquery.counter'] = counter;
    events.push(mapOsqueryRow(table, row, diff, base));
  }
  return parsed(events);
}

function rowsOf(record: JsonObject): Row[] | string {
  const out: Row[] = [];
  const add = (value: unknown, diff: string): string | undefined => {
    if (!isRow(value)) return `osquery ${diff} row is not an object of column values`;
    if (out.length >= LIMITS.maxEvents) return `more than ${LIMITS.maxEvents} osquery rows`;
    out.push({ row: value, diff });
    return undefined;
  };
  const columns = record['columns'];
  if (columns !== undefined) {
    const action = text(record['action']) ?? 'added';
    return add(columns, action) ?? out;
  }
  const snapshot = record['snapshot'];
  const diffs = record['diffResults'];
  if (Array.isArray(snapshot)) {
    for (const row of snapshot) {
      const bad = add(row, 'snapshot');
      if (bad) return bad;
    }
    return out;
  }
  if (typeof diffs === 'object' && diffs !== null && !Array.isArray(diffs)) {
    for (const diff of ['added', 'removed'] as const) {
      const list = (diffs as JsonObject)[diff];
      if (list === undefined) continue;
      if (!Array.isArray(list)) return `osquery diffResults.${diff} is not a list`;
      for (const row of list) {
        const bad = add(row, diff);
        if (bad) return bad;
      }
    }
    return out;
  }
  return 'osquery result has no columns, snapshot or diffResults';
}

function isRow(v: unknown): v is OsqueryRow {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.values(v).every(
    (c) => typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean',
  );
}
