import type { MutableEvent } from '../../domain/event';
import { epochToUtc } from '../../normalize/time';
import { integer, text } from './event-base';
import { octalMode } from './file-mode';
import { addFileChange, type FimAction } from './fim-event';
import {
  addSocket,
  familyOf,
  normalizeState,
  splitHostPort,
  type Endpoint,
  type Family,
  type SocketProcess,
} from './sockets';

export type OsqueryRow = Readonly<Record<string, string | number | boolean>>;
export type OsqueryTable = 'file_events' | 'listening_ports' | 'process_open_sockets' | 'suid_bin' | 'other';

const TABLES: readonly OsqueryTable[] = [
  'file_events',
  'listening_ports',
  'process_open_sockets',
  'suid_bin',
];

/**
 * Which table a row came from. Query names are free text (`file_events`, `pack_incident-response_
 * listening_ports`, `pack/fim/file_events`), so the name decides when it contains a table name;
 * otherwise the columns do, most specific first: target_path+action -> file_events; remote_address ->
 * process_open_sockets; port+address+protocol -> listening_ports; path+permissions+username ->
 * suid_bin. Anything else is a generic event with its columns under osquery.<column>.
 */
export function tableOf(queryName: string, row: OsqueryRow): OsqueryTable {
  const name = queryName.toLowerCase();
  const named = TABLES.find((t) => name.includes(t));
  if (named) return named;
  const has = (...cols: string[]): boolean => cols.every((c) => c in row);
  if (has('target_path', 'action')) return 'file_events';
  if (has('remote_address', 'local_address')) return 'process_open_sockets';
  if (has('port', 'address', 'protocol')) return 'listening_ports';
  if (has('path', 'permissions', 'username')) return 'suid_bin';
  return 'other';
}

/** Every row keeps its columns under osquery.*; known tables also get their ECS fields. */
export function mapOsqueryRow(
  table: OsqueryTable,
  row: OsqueryRow,
  diff: string,
  event: MutableEvent,
): MutableEvent {
  for (const [column, value] of Object.entries(row)) event[`osquery.${column}`] = value;
  switch (table) {
    case 'file_events':
      return fileEvent(row, event);
    case 'listening_ports':
      return listeningPort(row, event);
    case 'process_open_sockets':
      return openSocket(row, event);
    case 'suid_bin':
      return suidBin(row, diff, event);
    default:
      return event;
  }
}

const FILE_ACTIONS: Readonly<Record<string, FimAction>> = {
  CREATED: 'created',
  UPDATED: 'updated',
  DELETED: 'deleted',
  ATTRIBUTES_MODIFIED: 'attributes_modified',
  MOVED_FROM: 'moved',
  MOVED_TO: 'moved',
  OPENED: 'accessed',
  ACCESSED: 'accessed',
};

function fileEvent(row: OsqueryRow, event: MutableEvent): MutableEvent {
  const path = text(row['target_path']);
  if (path === undefined || path === '') return event;
  const time = integer(row['time']);
  if (time !== undefined && time > 0 && time <= 253402300799) {
    event['event.created'] = event['@timestamp'];
    event['@timestamp'] = epochToUtc(time);
  }
  const epoch = (c: string): string | undefined => {
    const v = integer(row[c]);
    return v !== undefined && v > 0 && v <= 253402300799 ? epochToUtc(v) : undefined;
  };
  const hashes: Record<string, string> = {};
  for (const h of ['md5', 'sha1', 'sha256'] as const) {
    const v = text(row[h]);
    if (v !== undefined && /^[0-9a-fA-F]+$/.test(v)) hashes[h] = v.toLowerCase();
  }
  const mode = text(row['mode']);
  event['event.dataset'] = 'file_integrity';
  return addFileChange(event, {
    path,
    action: FILE_ACTIONS[String(row['action']).toUpperCase()] ?? 'updated',
    current: {
      mode: mode !== undefined ? octalMode(mode) : undefined,
      uid: text(row['uid']),
      gid: text(row['gid']),
      size: integer(row['size']),
      inode: text(row['inode']),
      mtime: epoch('mtime'),
      ctime: epoch('ctime'),
      hashes: Object.keys(hashes).length > 0 ? hashes : undefined,
    },
  });
}

const TRANSPORTS: Readonly<Record<string, 'tcp' | 'udp'>> = { '6': 'tcp', '17': 'udp' };
const FAMILIES: Readonly<Record<string, Family>> = { '2': 'ipv4', '10': 'ipv6' };

/** osquery gives address and port apart; wrap them so the shared splitter applies. */
function endpointOf(
  address: string | undefined,
  port: number | undefined,
  family?: Family,
): Endpoint | undefined {
  if (address === undefined || address === '' || port === undefined) return undefined;
  const host = address.includes(':') ? `[${address}]` : address;
  return splitHostPort(`${host}:${port}`, family);
}

/** pid -1 means osquery could not tell; a name only when the query joined one in. */
function processOf(row: OsqueryRow): SocketProcess[] {
  const pid = integer(row['pid']);
  const name = text(row['name']) ?? text(row['process_name']);
  return name !== undefined || pid !== undefined ? [{ name, pid }] : [];
}

function listeningPort(row: OsqueryRow, event: MutableEvent): MutableEvent {
  const family = FAMILIES[String(row['family'])];
  const local = endpointOf(text(row['address']), integer(row['port']), family);
  if (!local) return event;
  event['event.dataset'] = 'socket';
  return addSocket(event, {
    transport: TRANSPORTS[String(row['protocol'])],
    local,
    processes: processOf(row),
    listening: true,
  });
}

function openSocket(row: OsqueryRow, event: MutableEvent): MutableEvent {
  const family = FAMILIES[String(row['family'])];
  const local = endpointOf(text(row['local_address']), integer(row['local_port']), family);
  if (!local) return event;
  const peerPort = integer(row['remote_port']);
  const peerAddress = text(row['remote_address']);
  const state = text(row['state']);
  const noPeer =
    peerPort === 0 ||
    peerAddress === undefined ||
    peerAddress === '' ||
    /^(0\.0\.0\.0|::)$/.test(peerAddress);
  const listening = state === 'LISTEN' || (state === undefined || state === '' ? noPeer : false);
  event['event.dataset'] = 'socket';
  return addSocket(event, {
    transport: TRANSPORTS[String(row['protocol'])],
    state: state !== undefined && state !== '' ? normalizeState(state) : undefined,
    local,
    peer: listening ? undefined : endpointOf(peerAddress, peerPort, family ?? familyOf(local.ip)),
    processes: processOf(row),
    listening,
  });
}

/**
 * suid_bin is an inventory, not a change feed: a row `added` since the last run is a file that now has
 * the bit (new, or newly given it) -> a change with the bits in file.*; `removed` means it lost the bit or
 * went away -> the bits under tuxwatch.file.previous.*; a snapshot row is an observation (event.type info).
 */
function suidBin(row: OsqueryRow, diff: string, event: MutableEvent): MutableEvent {
  const path = text(row['path']);
  if (path === undefined || path === '') return event;
  const perms = String(row['permissions'] ?? '').toUpperCase();
  const bits = { setuid: perms.includes('S'), setgid: perms.includes('G') };
  event['event.dataset'] = 'file_integrity';
  const state = { owner: text(row['username']), group: text(row['groupname']) };
  addFileChange(event, {
    path,
    action: 'attributes_modified',
    current: diff === 'removed' ? undefined : state,
    previous: diff === 'removed' ? state : undefined,
  });
  const side = diff === 'removed' ? 'tuxwatch.file.previous' : 'file';
  event[`${side}.setuid`] = bits.setuid;
  event[`${side}.setgid`] = bits.setgid;
  if (diff === 'snapshot') {
    event['event.type'] = ['info'];
    delete event['event.action'];
  }
  return event;
}
