import { hash } from 'node:crypto';
import type { Alert } from '../domain/alert';
import { EVENT_COUNT, eventCount, ORIGINAL_BASE64, timestampMs, type FieldValue } from '../domain/event';
import type { Detection } from '../domain/rule';
import { alertEntity } from './finding-key';
import { SEVERITY } from '../domain/rule';
import { threatFields } from './threat';

/** Entity fields an alert carries from its event (CONTRACT §2), when the event has them. */
export const ENTITY_FIELDS = [
  'user.name',
  'user.id',
  'user.target.name',
  'user.target.id',
  'user.effective.name',
  'group.name',
  'group.id',
  'file.path',
  'file.mode',
  'file.type',
  'file.mtime',
  'file.ctime',
  'file.inode',
  'tuxwatch.file.changed',
  'tuxwatch.file.previous.mtime',
  'tuxwatch.file.previous.ctime',
  'tuxwatch.file.previous.inode',
  'file.setuid',
  'file.setgid',
  'process.name',
  'process.pid',
  'process.executable',
  'process.command_line',
  'server.ip',
  'server.port',
  'destination.ip',
  'destination.port',
  'source.ip',
  'source.port',
  'source.domain',
  'network.transport',
  'event.action',
  'event.category',
  'event.type',
  'event.outcome',
  'event.module',
  'event.dataset',
  'event.timezone',
] as const;

export const ALERT_INDEX_PREFIX = 'tuxwatch-alerts-';

/**
 * The alert for one detection. Its id hashes the rule, the host, the event time and the raw record: the
 * same evidence through the same rule always gives the same id, whatever process or replay produced it.
 */
export function buildAlert(detection: Detection, created: Date, indexPrefix = ALERT_INDEX_PREFIX): Alert {
  const { rule, event } = detection;
  const host = typeof event['host.name'] === 'string' ? event['host.name'] : 'unknown';
  const fields: Record<string, FieldValue> = {
    '@timestamp': event['@timestamp'],
    'event.kind': 'alert',
    'event.created': created.toISOString(),
    'event.severity': SEVERITY[rule.level],
    'tuxwatch.severity': rule.level,
    'rule.id': rule.id,
    'rule.uuid': rule.uuid,
    'rule.name': rule.title,
    'host.name': host,
    'event.original': event['event.original'],
    ...threatFields(rule.tags),
  };
  if (event[ORIGINAL_BASE64] !== undefined) fields[ORIGINAL_BASE64] = event[ORIGINAL_BASE64];
  if (rule.description) fields['rule.description'] = rule.description;
  // when the evidence was observed, where it differs from when it happened (a FIM report, a file's ctime)
  if (typeof event['event.created'] === 'string') fields['event.ingested'] = event['event.created'];
  for (const name of rule.alertFields ?? ENTITY_FIELDS) {
    const value = event[name];
    if (value !== undefined && value !== null) fields[name] = value;
  }
  if (detection.relatedCount !== undefined) fields['tuxwatch.related.count'] = detection.relatedCount;
  // an alert on one event standing for N occurrences says so; folding adds N to the alert's count
  else if (eventCount(event) > 1) fields[EVENT_COUNT] = eventCount(event);
  // an event time nobody should believe (year 1003, 9999) must not name an index: one per forged month would
  // reach the cluster's shard limit, and then genuine alerts could not be indexed
  const plausible = plausibleEventTime(event['@timestamp'], created);
  if (!plausible) fields[TIME_OUT_OF_RANGE] = true;
  const entity = rule.finding && alertEntity(rule.finding, event);
  let id: string | undefined;
  return {
    // hashed when first read: folding gives most alerts their finding's id, and a sha256 per detection
    // was a measurable part of a large scan
    get id(): string {
      return (id ??= alertId(rule.id, host, event));
    },
    index: alertIndex(plausible ? event['@timestamp'] : created.toISOString(), indexPrefix),
    fields,
    ...(entity && { entity }),
  };
}

/** rule, host, event time and raw record: the same evidence through the same rule gives the same id */
function alertId(ruleId: string, host: string, event: Detection['event']): string {
  return hash(
    'sha256',
    [ruleId, host, event['@timestamp'], event['event.original']].join('\u0000'),
    'hex',
  ).slice(0, 40);
}

const DAY_MS = 86_400_000;
/** How far before the alert's making an event time is believed: ten years (older evidence is flagged). */
export const PLAUSIBLE_PAST_MS = 3652 * DAY_MS;
/** How far after it: a day (clock skew, a zone misread), as year inference allows. */
export const PLAUSIBLE_FUTURE_MS = DAY_MS;
/** Set on an alert whose event time is outside that window; its `@timestamp` is still the event's. */
export const TIME_OUT_OF_RANGE = 'tuxwatch.event.time_out_of_range';

/** Whether an event time is within the window an alert index may be named from. */
export function plausibleEventTime(timestamp: string, created: Date): boolean {
  const t = timestampMs(timestamp);
  const c = created.getTime();
  return Number.isFinite(t) && t >= c - PLAUSIBLE_PAST_MS && t <= c + PLAUSIBLE_FUTURE_MS;
}

/** Monthly indices by event time (a plausible one, see buildAlert): `tuxwatch-alerts-2026.11`. */
export function alertIndex(timestamp: string, prefix = ALERT_INDEX_PREFIX): string {
  return `${prefix}${timestamp.slice(0, 4)}.${timestamp.slice(5, 7)}`;
}
