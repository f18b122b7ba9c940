import type { FieldValue, MutableEvent, Scalar } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { timestampToUtc } from '../../normalize/time';
import { flattenJson, looksLikeJsonObject } from '../json-record';
import { addProcessFacts } from './auditbeat-process';
import { baseEvent, pathFields, text } from './event-base';
import { octalMode, withSpecialBits } from './file-mode';
import { guarded, LIMITS, parseBoundedJson } from './record-limits';
import { AUDITBEAT_FIELDS } from '../fields/auditbeat-fields';

const TYPE_OF_ACTION: Readonly<Record<string, string>> = {
  created: 'creation',
  deleted: 'deletion',
  updated: 'change',
  attributes_modified: 'change',
  moved: 'change',
};

/**
 * Auditbeat `file_integrity` events (also the Elastic Agent FIM integration, which runs the same
 * module): already ECS, so the document is flattened and kept, then normalised to docs/events.md -
 * event.module `auditbeat` (the module Auditbeat named stays in tuxwatch.source_module), dataset
 * file_integrity, file.mode with the special bits folded in (Auditbeat writes the permission bits
 * and separate file.setuid/file.setgid), uid/gid/inode as strings, times in UTC, and the old
 * top-level `hash.*` of Auditbeat 6 moved to file.hash.*.
 */
export const auditbeatParser: Parser = {
  kind: 'auditbeat',
  fields: [AUDITBEAT_FIELDS],
  sniff: (text) =>
    looksLikeJsonObject(text) &&
    (/"(?:event\.)?module"\s*:\s*"(?:file_integrity|auditd)"/.test(text) ||
      (/"(?:event\.)?module"\s*:\s*"system"/.test(text) &&
        /"(?:event\.)?dataset"\s*:\s*"process"/.test(text)) ||
      (/"(?:agent\.)?type"\s*:\s*"auditbeat"/.test(text) && /"file(?:\.path)?"\s*:/.test(text))),
  parse: guarded(parseAuditbeat),
};

function parseAuditbeat(raw: string, ctx: ParseContext) {
  const json = parseBoundedJson(raw);
  if (!json.ok) return rejected(json.reason);
  const flat = flattenJson(json.value);
  if (Object.keys(flat).length > LIMITS.maxFields) return rejected(`more than ${LIMITS.maxFields} fields`);
  const stamp = text(flat['@timestamp']);
  const timestamp = stamp !== undefined ? timestampToUtc(stamp, 'UTC') : undefined;
  if (!timestamp) return rejected('Auditbeat event has no valid @timestamp');
  const host = text(flat['host.name']) ?? text(flat['host.hostname']) ?? text(flat['beat.hostname']);
  const module = text(flat['event.module']);
  if (module === 'auditd' || module === 'system') return otherModule(raw, flat, timestamp, host, module, ctx);
  const path = text(flat['file.path']);
  if (path === undefined || path === '')
    return rejected('Auditbeat event has no file.path (not file_integrity)');

  const event: MutableEvent = { ...flat, '@timestamp': timestamp, 'event.original': raw };
  Object.assign(
    event,
    baseEvent({ timestamp, original: raw, kind: 'auditbeat', dataset: 'file_integrity', host }, ctx),
  );
  if (module !== undefined) event['tuxwatch.source_module'] = module;
  Object.assign(event, pathFields(path));
  event['event.category'] = ['file'];
  const actions = list(flat['event.action']);
  event['event.action'] = actions;
  event['event.type'] = list(flat['event.type']).length > 0 ? list(flat['event.type']) : typesOf(actions);
  for (const [name, value] of Object.entries(flat)) {
    if (name.startsWith('hash.') && event[`file.${name}`] === undefined) event[`file.${name}`] = value;
  }
  for (const name of ['file.uid', 'file.gid', 'file.inode']) {
    const v = text(flat[name]);
    if (v !== undefined) event[name] = v;
  }
  for (const name of ['file.mtime', 'file.ctime', 'file.accessed', 'file.created']) {
    const v = text(flat[name]);
    const utc = v !== undefined ? timestampToUtc(v, 'UTC') : undefined;
    if (utc) event[name] = utc;
  }
  const mode = text(flat['file.mode']);
  const parsedMode = mode !== undefined ? octalMode(mode) : undefined;
  if (parsedMode) {
    const full = withSpecialBits(parsedMode, flat['file.setuid'] === true, flat['file.setgid'] === true);
    event['file.mode'] = full.mode;
    event['file.setuid'] = full.setuid;
    event['file.setgid'] = full.setgid;
  }
  return parsed([event]);
}

/**
 * The `auditd` and `system` modules: process starts and ends become process events (auditbeat-process.ts);
 * any other record keeps its fields with dataset `auditd` or `system` (what no rule reads yet), never the
 * file-integrity shape.
 */
function otherModule(
  raw: string,
  flat: Record<string, FieldValue>,
  timestamp: string,
  host: string | undefined,
  module: 'auditd' | 'system',
  ctx: ParseContext,
) {
  const event: MutableEvent = { ...flat, '@timestamp': timestamp, 'event.original': raw };
  const dataset = text(flat['event.dataset']);
  Object.assign(
    event,
    baseEvent({ timestamp, original: raw, kind: 'auditbeat', dataset: module, host }, ctx),
  );
  event['tuxwatch.source_module'] = module;
  if (dataset !== undefined) event['event.dataset'] = dataset;
  if (!addProcessFacts(event, module)) event['event.dataset'] = module;
  for (const name of ['event.category', 'event.type']) {
    const v = event[name];
    if (typeof v === 'string') event[name] = [v];
  }
  return parsed([event]);
}

function list(v: FieldValue | undefined): Scalar[] {
  if (Array.isArray(v)) return [...(v as readonly Scalar[])];
  return typeof v === 'string' ? [v] : [];
}

const typesOf = (actions: Scalar[]): string[] => [
  ...new Set(actions.flatMap((a) => (TYPE_OF_ACTION[String(a)] ? [TYPE_OF_ACTION[String(a)]!] : []))),
];
