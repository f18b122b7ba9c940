import { createHash } from 'node:crypto';
import type { Alert } from '../domain/alert';
import type { FieldValue } from '../domain/event';
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
 * A socket seen by a process is one finding whatever tool saw it: ss, lsof, osquery and a collector each
 * see the same (host, transport, port, pid), but lsof cuts the program name to nine characters, only lsof
 * and ps name the user, only ps the executable. So a listener is keyed by transport, port and pid, and a
 * connection by transport, destination and pid; without a pid, by the name cut to lsof's width. The key has
 * no time slot: snapshots taken seconds apart by different tools must not straddle a slot boundary, and a
 * pid is already a point in time (the process that holds the socket).
 */
function socketKey(f: Fields): string[] | undefined {
  const action = f['event.action'];
  const pid = f['process.pid'];
  const who =
    typeof pid === 'number'
      ? `pid=${pid}`
      : `name=${String(f['process.name'] ?? '').slice(0, LSOF_COMMAND_WIDTH)}`;
  const transport = `transport=${String(f['network.transport'] ?? '')}`;
  if (action === 'socket-listening' && f['server.port'] !== undefined)
    return ['listen', transport, `port=${String(f['server.port'])}`, who];
  if (action === 'socket-connected' && f['destination.port'] !== undefined)
    return [
      'connect',
      transport,
      `destination=${String(f['destination.ip'] ?? '')}:${String(f['destination.port'])}`,
      who,
    ];
  return undefined;
}

/** Whether an alert is about a socket, folded by (host, transport, port or destination, pid). */
export const isSocketFinding = (f: Fields): boolean => socketKey(f) !== undefined;

/**
 * The folded alert's deterministic id, the same in `scan` and `serve` (and so in Elasticsearch's `_id`):
 * - a socket finding: rule, host, transport, port (listener) or destination (connection), pid;
 * - anything else: rule, host, the entities of FINDING_FIELDS and the suppression slot (`@timestamp`
 *   floored to the window), so repeats inside one window fold and a later recurrence is a new alert.
 */
export function findingId(alert: Alert, windowMs: number): string {
  const f = alert.fields;
  const socket = socketKey(f);
  const parts = socket ?? [
    String(Math.floor(Date.parse(String(f['@timestamp'])) / windowMs)),
    ...FINDING_FIELDS.map((name) => `${name}=${JSON.stringify(f[name] ?? null)}`),
  ];
  return createHash('sha256')
    .update([f['rule.id'], f['host.name'], ...parts].join('\u0000'))
    .digest('hex')
    .slice(0, 40);
}
