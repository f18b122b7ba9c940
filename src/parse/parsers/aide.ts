import type { SiemEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { timestampToUtc } from '../../normalize/time';
import { looksLikeJsonObject, type JsonObject } from '../json-record';
import { aideFileState, aideSummaryChanges, aideChangedAttributes } from './aide-details';
import { looksLikeAideText, readAideText } from './aide-text';
import { baseEvent } from './event-base';
import { addFileChange, changeAction, type FimAction } from './fim-event';
import { fileTypeFromChar } from './file-mode';
import { guarded, LIMITS, parseBoundedJson } from './record-limits';
import { AIDE_FIELDS } from '../fields/file-integrity-fields';

const SECTIONS = [
  ['added', 'created'],
  ['removed', 'deleted'],
  ['changed', 'updated'],
] as const;

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})\s*$/;

/**
 * AIDE 0.18 reports, `report_format=json` or the plain-text default (read into the JSON shape by
 * aide-text): one report, one event per added, removed and changed entry. event.original is that entry's
 * part of the report: its summary and details as compact JSON, or its lines of the plain report.
 * @timestamp is the report's start_time (when the change was observed); the file's own times stay in
 * file.mtime/file.ctime. The report names no host, so host.name comes from the transport.
 */
export const aideParser: Parser = {
  kind: 'aide',
  fields: [AIDE_FIELDS],
  sniff: (text) =>
    (looksLikeJsonObject(text) &&
      /"aide_version"\s*:/.test(text) &&
      /"(?:start_time|number_of_entries|outline)"\s*:/.test(text)) ||
    looksLikeAideText(text),
  parse: guarded(parseAide),
};

type OriginalOf = (section: string, path: string, summary: string, detail: JsonObject | undefined) => string;

function parseAide(text: string, ctx: ParseContext) {
  if (!looksLikeJsonObject(text)) {
    const plain = readAideText(text);
    if (typeof plain === 'string') return rejected(plain);
    return reportEvents(plain.report, (_s, path) => plain.originals.get(path) ?? path, ctx);
  }
  const json = parseBoundedJson(text);
  if (!json.ok) return rejected(json.reason);
  const originalOf: OriginalOf = (section, path, summary, detail) =>
    JSON.stringify({ [section]: { [path]: summary }, ...(detail ? { details: { [path]: detail } } : {}) });
  return reportEvents(json.value, originalOf, ctx);
}

function reportEvents(report: JsonObject, originalOf: OriginalOf, ctx: ParseContext) {
  if (typeof report['aide_version'] !== 'string') return rejected('not an AIDE report: no aide_version');
  const start = report['start_time'];
  if (typeof start !== 'string') return rejected('AIDE report has no start_time');
  const timestamp = timestampToUtc(start, ctx.timezone);
  if (!timestamp)
    return rejected(`AIDE start_time is not a timestamp: ${JSON.stringify(start.slice(0, 60))}`);
  const timezone = HAS_OFFSET.test(start) ? undefined : ctx.timezone;
  const details = asObject(report['details']) ?? {};

  const events: SiemEvent[] = [];
  for (const [section, defaultAction] of SECTIONS) {
    const entries = report[section];
    if (entries === undefined) continue;
    const list = asObject(entries);
    if (!list) return rejected(`AIDE "${section}" is not an object of path: summary`);
    for (const [path, summary] of Object.entries(list)) {
      if (events.length >= LIMITS.maxEvents)
        return rejected(`AIDE report has more than ${LIMITS.maxEvents} entries`);
      if (typeof summary !== 'string')
        return rejected(`AIDE ${section} entry ${JSON.stringify(path)} has no summary`);
      if (path.length === 0 || path.length > LIMITS.maxPathLength)
        return rejected('AIDE entry path is empty or too long');
      const entryDetails = details[path];
      if (entryDetails !== undefined && !asObject(entryDetails)) {
        return rejected(`AIDE details of ${JSON.stringify(path)} are not an object`);
      }
      const detail = asObject(entryDetails);
      const original = originalOf(section, path, summary, detail);
      const base = baseEvent({ timestamp, original, kind: 'aide', dataset: 'file_integrity', timezone }, ctx);
      const changed = detail ? aideChangedAttributes(detail) : aideSummaryChanges(summary);
      const action: FimAction = section === 'changed' ? changeAction(changed) : defaultAction;
      const current =
        detail && section !== 'removed' ? aideFileState(detail, 'new', ctx.timezone) : undefined;
      const previous = detail && section !== 'added' ? aideFileState(detail, 'old', ctx.timezone) : undefined;
      const event = addFileChange(base, {
        path,
        action,
        type: fileTypeFromChar(summary.charAt(0)),
        current,
        previous,
        changed: section === 'changed' ? changed : undefined,
      });
      event['tuxwatch.aide.summary'] = summary;
      events.push(event);
    }
  }
  return parsed(events);
}

const asObject = (v: unknown): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
