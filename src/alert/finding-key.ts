import { hash } from 'node:crypto';
import type { Alert, AlertEntity } from '../domain/alert';
import { fieldString, timestampMs, type FieldValue, type SiemEvent } from '../domain/event';
import type { FindingIdentity } from '../domain/rule';
import { LSOF_COMMAND_WIDTH } from '../enrich/listener-reference';

/**
 * What makes two alerts the same finding, besides rule and host: the entities they are about. Process ids,
 * source ports and times are left out on purpose — every retry of a brute force has new ones.
 */
export const FINDING_FIELDS = [
  'user.name',
  'user.target.name',
  'user.target.id',
  'group.name',
  'group.id',
  'file.path',
  'process.name',
  'process.executable',
  'server.ip',
  'server.port',
  'destination.ip',
  'destination.port',
  'source.ip',
  'source.domain',
] as const;

type Fields = Readonly<Record<string, FieldValue>>;

/**
 * A socket seen by a process is one finding whatever tool saw it: ss, lsof, osquery, audit and a collector
 * each see the same (host, port, pid), but lsof cuts the program name to nine characters, only lsof and ps
 * name the user, only ps the executable, and audit's bind and connect records do not say TCP or UDP. So a
 * listener is keyed by port and pid, and a connection by destination and pid: with the transport in the key,
 * audit's listener and ss's were two findings on every host that had both, and without it one process on a
 * port over TCP and UDP (a DNS server) is one finding, which is what a responder counts. Without a pid (ss
 * without -p), the key is the name cut to lsof's width and the transport, which then tells two unnamed
 * listeners apart. The key has no time slot: snapshots taken seconds apart by different tools must not
 * straddle a slot boundary, and a pid is already a point in time (the process that holds the socket).
 * A process in a pid namespace (a container) has a pid in each: auditd writes the host's, and ss, lsof and
 * ps run inside write the container's. The folder takes such an alert to the finding of the same place and
 * program under the other pid (namespaced-pids.ts); its key is still the pid it was seen under.
 */
function socketKey(f: Fields): string[] | undefined {
  const place = socketPlaceOf(f);
  if (place === undefined) return undefined;
  const pid = f['process.pid'];
  const who =
    typeof pid === 'number'
      ? `pid=${pid}`
      : `name=${String(f['process.name'] ?? '').slice(0, LSOF_COMMAND_WIDTH)} transport=${String(f['network.transport'] ?? '')}`;
  return [...place, who];
}

/** A socket finding's place: the port listened on, or the destination connected to. */
function socketPlaceOf(f: Fields): string[] | undefined {
  const action = f['event.action'];
  if (action === 'socket-listening' && f['server.port'] !== undefined)
    return ['listen', `port=${String(f['server.port'])}`];
  if (action === 'socket-connected' && f['destination.port'] !== undefined)
    return ['connect', `destination=${String(f['destination.ip'] ?? '')}:${String(f['destination.port'])}`];
  return undefined;
}

/**
 * Rule, host and place of a socket alert that names its pid (undefined for any other alert): the findings
 * of one place under different pids may be one process seen from two pid namespaces (namespaced-pids.ts).
 */
export function socketPlace(f: Fields): string | undefined {
  if (typeof f['process.pid'] !== 'number') return undefined;
  const place = socketPlaceOf(f);
  return place && [f['rule.id'], f['host.name'], ...place].join('\u0000');
}

/** Whether an alert is about a socket, folded by (host, port or destination, pid). */
export const isSocketFinding = (f: Fields): boolean => socketKey(f) !== undefined;

/**
 * The entities of a rule's finding identity on an event: for each entry, the first of its fields the event
 * has. Undefined when one is missing: such an alert is keyed like any other (FINDING_FIELDS and a time slot)
 * rather than folded with every alert of the rule on the host that lacks it too.
 */
export function alertEntity(identity: FindingIdentity, event: SiemEvent): AlertEntity | undefined {
  const values: string[] = [];
  for (const names of identity.entities) {
    const value = names.map((name) => fieldString(event, name)).find((v) => v !== undefined && v !== '');
    if (value === undefined) return undefined;
    values.push(value);
  }
  return { values, renewAfterMs: identity.renewAfterMs };
}

/** An entity finding's key: rule, host and entities; each generation of the finding gets its own id. */
export function entityKey(alert: Alert): string | undefined {
  if (alert.entity === undefined) return undefined;
  const f = alert.fields;
  return [f['rule.id'], f['host.name'], ...alert.entity.values].map((v) => JSON.stringify(v)).join(',');
}

/**
 * The folded alert's deterministic id, the same in `scan` and `serve` (and so in Elasticsearch's `_id`): the
 * hash of its finding key.
 */
export const findingId = (alert: Alert, windowMs: number, generation = 0): string =>
  keyId(findingKey(alert, windowMs, generation));

/**
 * What the finding's id is the hash of (the folder finds its findings by it, and hashes a key once, when
 * its finding opens):
 * - a socket finding: rule, host, port (listener) or destination (connection), pid;
 * - an entity finding (a rule with a finding identity): rule, host, the entities and the generation, which
 *   the folder counts up when the entities recur after `renew-after` of quiet: no time slot, so auth.log's
 *   line, the audit event, AIDE's night run and a collect sweep hours later are one alert;
 * - anything else: rule, host, the entities of FINDING_FIELDS and the suppression slot (`@timestamp`
 *   floored to the window), so repeats inside one window fold and a later recurrence is a new alert.
 */
export function findingKey(
  alert: Alert,
  windowMs: number,
  generation = 0,
  /** the alert's time, epoch ms, when the caller has it */
  at = timestampMs(String(alert.fields['@timestamp'])),
): string {
  const f = alert.fields;
  const entity = entityKey(alert);
  const parts = entity
    ? ['entity', entity, `generation=${generation}`]
    : (socketKey(f) ?? [
        String(Math.floor(at / windowMs)),
        ...FINDING_FIELDS.map((name, i) => {
          const value = f[name];
          return value === undefined || value === null ? ABSENT[i]! : `${name}=${JSON.stringify(value)}`;
        }),
      ]);
  return [f['rule.id'], f['host.name'], ...parts].join('\u0000');
}

/** A finding key's id: its SHA-256, 40 hex digits (one-shot `hash`: a third of createHash's time). */
export const keyId = (key: string): string => hash('sha256', key, 'hex').slice(0, 40);

/** each finding field's part of the key when the alert lacks it */
const ABSENT = FINDING_FIELDS.map((name) => `${name}=null`);
