import type { MutableEvent } from '../../domain/event';
import { epochToUtc } from '../../normalize/time';
import { basename, integer, text } from './event-base';
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
export type OsqueryTable =
  | 'file_events'
  | 'listening_ports'
  | 'process_open_sockets'
  | 'suid_bin'
  | 'process_events'
  | 'socket_events'
  | 'other';

const TABLES: readonly OsqueryTable[] = [
  'process_events',
  'socket_events',
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
  if (has('cmdline', 'path', 'pid')) return 'process_events';
  if (has('action', 'remote_address', 'path')) return 'socket_events';
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
    case 'process_events':
      return processEvent(row, event);
    case 'socket_events':
      return socketEvent(row, event);
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

/** An evented table's own `time` column is when it happened; the query's unixTime goes to event.created. */
function eventTime(row: OsqueryRow, event: MutableEvent): void {
  const time = integer(row['time']);
  if (time !== undefined && time > 0 && time <= 253402300799) {
    event['event.created'] = event['@timestamp'];
    event['@timestamp'] = epochToUtc(time);
  }
}

/** An id column: osquery writes -1 (parent unknown) and 4294967295 (audit uid unset) for none. */
function id(row: OsqueryRow, column: string): string | undefined {
  const v = text(row[column]);
  return v === undefined || v === '' || v === '-1' || v === '4294967295' ? undefined : v;
}

const EXEC_SYSCALLS = new Set(['', 'execve', 'execveat']);

/**
 * process_events (audit-based on Linux): an execve/execveat row is a process start (dataset process); a
 * fork/vfork/clone row (osquery 5 with --audit_allow_fork_process_events) is a new process still running its
 * parent's program: event.type change, action forked, so process_creation rules do not see the parent twice.
 */
function processEvent(row: OsqueryRow, event: MutableEvent): MutableEvent {
  eventTime(row, event);
  const syscall = text(row['syscall']) ?? '';
  event['event.dataset'] = 'process';
  event['event.category'] = ['process'];
  event['event.type'] = EXEC_SYSCALLS.has(syscall) ? ['start'] : ['change'];
  event['event.action'] = EXEC_SYSCALLS.has(syscall) ? 'process-started' : 'forked';
  const pid = integer(row['pid']);
  if (pid !== undefined) event['process.pid'] = pid;
  const path = text(row['path']);
  if (path !== undefined && path !== '') {
    event['process.executable'] = path;
    event['process.name'] = basename(path);
  }
  const cmdline = text(row['cmdline']);
  if (cmdline !== undefined && cmdline !== '') {
    event['process.command_line'] = cmdline;
    const args = cmdline.split(/\s+/).filter((a) => a !== '');
    event['process.args'] = args;
    event['process.args_count'] = args.length;
  }
  const cwd = text(row['cwd']);
  if (cwd !== undefined && cwd !== '') event['process.working_directory'] = cwd.replace(/^"(.*)"$/, '$1');
  const parent = id(row, 'parent');
  if (parent !== undefined && /^\d+$/.test(parent)) event['process.parent.pid'] = Number(parent);
  for (const [column, field] of [
    ['uid', 'user.id'],
    ['euid', 'user.effective.id'],
    ['gid', 'group.id'],
    ['egid', 'user.effective.group.id'],
    ['auid', 'user.audit.id'],
  ] as const) {
    const v = id(row, column);
    if (v !== undefined) event[field] = v;
  }
  return event;
}

/** socket_events: connect is an outbound connection, accept an inbound one, bind a bound socket. */
function socketEvent(row: OsqueryRow, event: MutableEvent): MutableEvent {
  eventTime(row, event);
  const action = String(row['action'] ?? '');
  const family = FAMILIES[String(row['family'])];
  event['event.dataset'] = 'socket';
  event['event.category'] = ['network'];
  event['event.type'] = action === 'bind' ? ['info'] : ['connection', 'start'];
  event['event.action'] = action === 'bind' ? 'socket-bound' : 'socket-connected';
  if (action === 'connect') event['network.direction'] = 'egress';
  if (action === 'accept') event['network.direction'] = 'ingress';
  const transport = TRANSPORTS[String(row['protocol'])];
  if (transport !== undefined) event['network.transport'] = transport;
  if (family !== undefined) event['network.type'] = family;
  const status =
    text(row['status']) ?? (row['success'] === '0' || row['success'] === 0 ? 'failed' : undefined);
  if (status === 'failed') event['event.outcome'] = 'failure';
  if (status === 'succeeded') event['event.outcome'] = 'success';
  for (const [side, prefix] of [
    ['source', 'local'],
    ['destination', 'remote'],
  ] as const) {
    const e = endpointOf(text(row[`${prefix}_address`]), integer(row[`${prefix}_port`]), family);
    if (e === undefined) continue;
    event[`${side}.ip`] = e.ip;
    if (e.port !== undefined && e.port !== 0) event[`${side}.port`] = e.port;
    event['network.type'] ??= familyOf(e.ip);
  }
  const pid = integer(row['pid']);
  if (pid !== undefined) event['process.pid'] = pid;
  const path = text(row['path']);
  if (path !== undefined && path !== '') {
    event['process.executable'] = path;
    event['process.name'] = basename(path);
  }
  const auid = id(row, 'auid');
  if (auid !== undefined) event['user.audit.id'] = auid;
  return event;
}
