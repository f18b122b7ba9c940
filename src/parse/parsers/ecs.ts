import type { FieldValue, MutableEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { epochToUtc, timestampToUtc } from '../../normalize/time';
import { flattenJson, looksLikeJsonObject } from '../json-record';
import { baseEvent, text } from './event-base';
import { guarded, LIMITS, parseBoundedJson } from './record-limits';

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})\s*$/;
const ECS_KEY =
  /"(?:ecs|ecs\.version|event|event\.(?:kind|category|module|dataset|action)|log\.level|host|agent)"\s*:/;

/**
 * JSON that is already ECS, nested or with dotted keys (ecs-logging writes `"log.level"` beside
 * nested objects): flattened and kept whole. @timestamp is required and normalised to UTC; an
 * event.module or event.dataset the document carries stays, otherwise module is `ecs` and the dataset
 * follows event.category. event.original is the record itself (docs/events.md); an event.original the
 * document already had is kept in tuxwatch.ecs.event_original, a non-`event` event.kind in
 * tuxwatch.ecs.event_kind.
 */
export const ecsParser: Parser = {
  kind: 'ecs',
  // the document's own fields, whatever they are
  fields: 'as-written',
  sniff: (text) => looksLikeJsonObject(text) && /"@timestamp"\s*:/.test(text) && ECS_KEY.test(text),
  parse: guarded(parseEcs),
};

/**
 * Epoch milliseconds of 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: ISO 8601's four-digit years.
 * Outside them toISOString writes `+010000-…`, which is no @timestamp (the evidence fuzz test found one).
 */
const FIRST_ISO_MS = -62_167_219_200_000;
const LAST_ISO_MS = 253_402_300_799_999;

function parseEcs(raw: string, ctx: ParseContext) {
  const json = parseBoundedJson(raw);
  if (!json.ok) return rejected(json.reason);
  const flat = flattenJson(json.value);
  if (Object.keys(flat).length > LIMITS.maxFields) return rejected(`more than ${LIMITS.maxFields} fields`);
  const stamp = flat['@timestamp'];
  let timestamp: string | undefined;
  let timezone: string | undefined;
  if (typeof stamp === 'number' && stamp >= FIRST_ISO_MS && stamp <= LAST_ISO_MS) {
    timestamp = epochToUtc(stamp, 'ms');
  } else if (typeof stamp === 'string') {
    timestamp = timestampToUtc(stamp, ctx.timezone);
    if (!HAS_OFFSET.test(stamp)) timezone = ctx.timezone;
  }
  if (!timestamp) return rejected('ECS document has no valid @timestamp');

  // the document's own zone goes beside (below), not in event.timezone: that says the time was read in a
  // zone, having no offset of its own, which the copy folding and the summary go by
  const { 'event.timezone': ownZone, ...fields } = flat;
  const event: MutableEvent = { ...fields, '@timestamp': timestamp, 'event.original': raw };
  const module = text(flat['event.module']) ?? 'ecs';
  const dataset = text(flat['event.dataset']) ?? datasetOf(flat['event.category']);
  const host = text(flat['host.name']) ?? text(flat['host.hostname']);
  const own = { original: flat['event.original'], kind: flat['event.kind'] };
  Object.assign(event, baseEvent({ timestamp, original: raw, kind: 'ecs', dataset, host, timezone }, ctx));
  event['event.module'] = module;
  if (typeof own.original === 'string') event['tuxwatch.ecs.event_original'] = own.original;
  if (typeof own.kind === 'string' && own.kind !== 'event') event['tuxwatch.ecs.event_kind'] = own.kind;
  if (typeof ownZone === 'string') event['tuxwatch.ecs.event_timezone'] = ownZone;
  return parsed([event]);
}

/** file -> file_integrity, network -> socket, process -> process, authentication/iam -> auth, else syslog. */
function datasetOf(category: FieldValue | undefined): string {
  const list = Array.isArray(category)
    ? category.map(String)
    : typeof category === 'string'
      ? [category]
      : [];
  if (list.includes('file')) return 'file_integrity';
  if (list.includes('network')) return 'socket';
  if (list.includes('process')) return 'process';
  if (list.includes('authentication') || list.includes('iam')) return 'auth';
  return 'syslog';
}
