import type { MutableEvent } from '../../domain/event';
import { timestampToUtc } from '../../normalize/time';
import { basename } from '../parsers/event-base';
import { addFileChange, type FimAction, type HashName } from '../parsers/fim-event';
import { familyOf, isIp } from '../parsers/sockets';
import type { SysmonRecord } from './sysmon-xml';

/** EventIDs of SysmonCommon's manifest that Sysmon for Linux writes, with the task name Sysmon gives them. */
export const SYSMON_EVENTS: Readonly<Record<number, string>> = {
  1: 'Process Create',
  2: 'File creation time changed',
  3: 'Network connection detected',
  4: 'Sysmon service state changed',
  5: 'Process terminated',
  9: 'RawAccessRead detected',
  10: 'Process accessed',
  11: 'File created',
  16: 'Sysmon config state changed',
  22: 'Dns query',
  23: 'File Delete archived',
  26: 'File Delete logged',
  100: 'eBPF Program Loaded',
  255: 'Error report',
};

/**
 * Sysmon writes `-` for a field it has no value for, `(null)` or `<unknown process>` for an image it could
 * not read: none of them is a value a rule should match.
 */
const NO_VALUE = new Set(['-', '', '(null)', '<unknown process>']);

/**
 * Fills `event` (its base fields set by the syslog carrier) from a decoded Sysmon record: every Data field
 * under `winlog.event_data.<Name>` as Sysmon wrote it (Elastic's `sysmon_linux` integration keeps the same
 * place), `winlog.*` for the System part, and the ECS fields the Sigma names of `field-map.ts` read:
 * EventID 1/5 are process start/end (dataset `process`), 3 a connection (dataset `socket`, `event.action`
 * `socket-connected`), 2/11/23/26 file changes (dataset `file_integrity`); the others keep dataset `syslog`.
 * `@timestamp` is `TimeCreated` (when Sysmon saw it, UTC); EventID 1's `UtcTime` is the process's own start
 * time, which Sysmon reconstructs and which can lie days in the past, so it goes to `process.start`.
 */
export function addSysmonFields(event: MutableEvent, record: SysmonRecord): MutableEvent {
  const { system, data } = record;
  const value = (name: string): string | undefined => {
    const v = data.get(name);
    return v === undefined || NO_VALUE.has(v) ? undefined : v;
  };
  const time = (name: string): string | undefined => {
    const v = value(name);
    return v !== undefined ? timestampToUtc(v, 'UTC') : undefined;
  };
  const created = system.timeCreated !== undefined ? timestampToUtc(system.timeCreated, 'UTC') : undefined;
  if (created !== undefined) event['@timestamp'] = created;
  event['event.module'] = 'sysmon';
  event['event.provider'] = system.providerName ?? 'Linux-Sysmon';
  event['event.code'] = String(system.eventId);
  event['winlog.event_id'] = String(system.eventId);
  const task = SYSMON_EVENTS[system.eventId];
  if (task !== undefined) event['winlog.task'] = task;
  if (system.recordId !== undefined) event['winlog.record_id'] = system.recordId;
  if (system.channel !== undefined) event['winlog.channel'] = system.channel;
  if (system.processId !== undefined) event['winlog.process.pid'] = system.processId;
  if (system.computer !== undefined && system.computer !== '') {
    event['winlog.computer_name'] = system.computer;
    event['host.name'] = system.computer;
  }
  for (const [name, v] of data) event[`winlog.event_data.${name}`] = v;
  event['event.dataset'] = 'syslog';

  const user = value('User');
  if (user !== undefined) event['user.name'] = user;
  process(event, '', value);
  switch (system.eventId) {
    case 1: {
      event['event.dataset'] = 'process';
      event['event.category'] = ['process'];
      event['event.type'] = ['start'];
      event['event.action'] = 'process-started';
      const start = time('UtcTime');
      if (start !== undefined) event['process.start'] = start;
      const cwd = value('CurrentDirectory');
      if (cwd !== undefined) event['process.working_directory'] = cwd;
      const logonId = value('LogonId');
      if (logonId !== undefined) event['user.audit.id'] = logonId;
      Object.assign(event, hashes(value('Hashes'), 'process.hash'));
      process(event, 'parent.', (name) => value(`Parent${name}`));
      const parentUser = value('ParentUser');
      if (parentUser !== undefined) event['process.parent.user.name'] = parentUser;
      break;
    }
    case 5:
      event['event.dataset'] = 'process';
      event['event.category'] = ['process'];
      event['event.type'] = ['end'];
      event['event.action'] = 'process-ended';
      break;
    case 3:
      connection(event, value);
      break;
    case 2:
    case 11:
    case 23:
    case 26:
      fileChange(event, system.eventId, value, time);
      break;
    default:
      break;
  }
  return event;
}

type Read = (name: string) => string | undefined;

/** `process.*` (or `process.parent.*`) from Image, CommandLine, ProcessId, ProcessGuid. */
function process(event: MutableEvent, side: '' | 'parent.', read: Read): void {
  const at = `process.${side}`;
  const image = read('Image');
  if (image !== undefined) {
    event[`${at}executable`] = image;
    event[`${at}name`] = basename(image);
  }
  const commandLine = read('CommandLine');
  if (commandLine !== undefined) {
    event[`${at}command_line`] = commandLine;
    // Sysmon joins argv with spaces; an argument that held a space cannot be told apart (as with ps)
    const args = commandLine.split(/\s+/).filter((a) => a !== '');
    event[`${at}args`] = args;
    event[`${at}args_count`] = args.length;
  }
  const pid = read('ProcessId');
  // pid 0 is Sysmon's "no parent" (a process that existed before Sysmon started)
  if (pid !== undefined && /^\d{1,10}$/.test(pid) && pid !== '0') event[`${at}pid`] = Number(pid);
  const guid = read('ProcessGuid');
  if (guid !== undefined && guid !== '{00000000-0000-0000-0000-000000000000}') event[`${at}entity_id`] = guid;
}

function connection(event: MutableEvent, read: Read): void {
  event['event.dataset'] = 'socket';
  event['event.category'] = ['network'];
  event['event.type'] = ['connection', 'start'];
  event['event.action'] = 'socket-connected';
  const transport = read('Protocol')?.toLowerCase();
  if (transport === 'tcp' || transport === 'udp') event['network.transport'] = transport;
  const initiated = read('Initiated');
  if (initiated === 'true') event['network.direction'] = 'egress';
  else if (initiated === 'false') event['network.direction'] = 'ingress';
  for (const [side, prefix] of [
    ['source', 'Source'],
    ['destination', 'Destination'],
  ] as const) {
    const ip = read(`${prefix}Ip`);
    if (ip !== undefined && isIp(ip)) {
      event[`${side}.ip`] = ip;
      event['network.type'] = familyOf(ip);
    }
    const port = read(`${prefix}Port`);
    if (port !== undefined && /^\d{1,5}$/.test(port) && Number(port) <= 65535)
      event[`${side}.port`] = Number(port);
    const host = read(`${prefix}Hostname`);
    if (host !== undefined) event[`${side}.domain`] = host;
  }
}

const FILE_ACTIONS: Readonly<Record<number, FimAction>> = {
  2: 'attributes_modified',
  11: 'created',
  23: 'deleted',
  26: 'deleted',
};

function fileChange(event: MutableEvent, eventId: number, read: Read, time: Read): void {
  const path = read('TargetFilename');
  if (path === undefined) return;
  event['event.dataset'] = 'file_integrity';
  const digests = hashes(read('Hashes'), '');
  addFileChange(event, {
    path,
    action: FILE_ACTIONS[eventId]!,
    current:
      Object.keys(digests).length > 0 ? { hashes: digests as Partial<Record<HashName, string>> } : undefined,
  });
  const created = time('CreationUtcTime');
  if (created !== undefined) event['file.created'] = created;
  const before = time('PreviousCreationUtcTime');
  if (before !== undefined) event['tuxwatch.file.previous.created'] = before;
}

const HASH_NAMES: Readonly<Record<string, HashName>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256' };

/** `SHA256=ab…,MD5=cd…` → `{<prefix>.sha256: "ab…", …}` (lowercase hex; IMPHASH has no meaning on Linux). */
function hashes(text: string | undefined, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === undefined) return out;
  for (const part of text.split(',')) {
    const [name, digest] = part.split('=');
    const key = HASH_NAMES[(name ?? '').trim().toUpperCase()];
    if (key !== undefined && digest !== undefined && /^[0-9a-fA-F]+$/.test(digest.trim()))
      out[prefix === '' ? key : `${prefix}.${key}`] = digest.trim().toLowerCase();
  }
  return out;
}
