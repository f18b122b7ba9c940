import type { FieldValue, SiemEvent } from '../../domain/event';

/**
 * Sysmon-for-Linux / SigmaHQ field names and the ECS fields tuxwatch events carry for them. Lookup is
 * case-sensitive, like the flat event itself; ECS names and unknown names are used as written.
 */
export const SIGMA_TO_ECS: Readonly<Record<string, string>> = {
  TargetFilename: 'file.path',
  Image: 'process.executable',
  CommandLine: 'process.command_line',
  ParentImage: 'process.parent.executable',
  ParentCommandLine: 'process.parent.command_line',
  ProcessId: 'process.pid',
  ParentProcessId: 'process.parent.pid',
  ProcessGuid: 'process.entity_id',
  ParentProcessGuid: 'process.parent.entity_id',
  CurrentDirectory: 'process.working_directory',
  User: 'user.name',
  ParentUser: 'process.parent.user.name',
  // Sysmon for Linux reports the audit login uid (auid) as LogonId; Auditbeat/ECS name it user.audit.id
  LogonId: 'user.audit.id',
  DestinationPort: 'destination.port',
  DestinationIp: 'destination.ip',
  DestinationHostname: 'destination.domain',
  SourcePort: 'source.port',
  SourceIp: 'source.ip',
  SourceHostname: 'source.domain',
  Protocol: 'network.transport',
  Computer: 'host.name',
};

/** Sigma fields computed from several ECS fields rather than stored in one. */
export const DERIVED_FIELDS: Readonly<Record<string, string>> = {
  Initiated:
    '"true" when network.direction is outbound/egress (or, when no direction is known, the event is a ' +
    'connected socket: event.action socket-connected); "false" when inbound/ingress',
  DestinationIsIpv6: '"true" when network.type is ipv6, "false" when ipv4',
};

/** Reads one (possibly derived) field from a flat event. */
export interface FieldAccessor {
  /** unique key: the ECS name, or a `<name>` for derived fields */
  readonly key: string;
  /** the event fields it reads: it can have a value only where one of them is written */
  readonly sources: readonly string[];
  read(event: SiemEvent): FieldValue | undefined;
}

class EcsField implements FieldAccessor {
  readonly sources: readonly string[];
  constructor(readonly key: string) {
    this.sources = [key];
  }
  read(event: SiemEvent): FieldValue | undefined {
    return event[this.key];
  }
}

/**
 * Keyword searches look at the raw message: `message`, or `event.original` when there is none. A syslog
 * line's program name (its tag, `pkexec[4711]:`) is outside the message but part of what the line says,
 * and SigmaHQ's keyword rules name it (PwnKit: `pkexec` and the message): it is a second value beside the
 * message, so a keyword matches either, and `|all` may find one keyword in each.
 */
class KeywordText implements FieldAccessor {
  readonly key = '<keywords>';
  readonly sources = ['message', 'event.original', 'log.syslog.appname'];
  read(event: SiemEvent): FieldValue | undefined {
    const m = event['message'];
    if (m === undefined || m === null) return event['event.original'];
    const program = event['log.syslog.appname'];
    return typeof program === 'string' && program !== '' && typeof m === 'string' ? [m, program] : m;
  }
}

class Initiated implements FieldAccessor {
  readonly key = '<Initiated>';
  readonly sources = ['network.direction', 'event.action'];
  read(event: SiemEvent): FieldValue | undefined {
    const d = event['network.direction'];
    if (d === 'outbound' || d === 'egress') return 'true';
    if (d === 'inbound' || d === 'ingress') return 'false';
    if (d !== undefined && d !== null) return undefined;
    const action = event['event.action'];
    const connected = Array.isArray(action)
      ? action.includes('socket-connected')
      : action === 'socket-connected';
    return connected ? 'true' : undefined;
  }
}

class DestinationIsIpv6 implements FieldAccessor {
  readonly key = '<DestinationIsIpv6>';
  readonly sources = ['network.type'];
  read(event: SiemEvent): FieldValue | undefined {
    const t = event['network.type'];
    return t === 'ipv6' ? 'true' : t === 'ipv4' ? 'false' : undefined;
  }
}

/**
 * Every field rules read gets a small integer slot, shared by all rules, so an event's view can cache its
 * string and lowercased forms in arrays instead of maps.
 */
const accessors: FieldAccessor[] = [];
const slotsByKey = new Map<string, number>();

function register(accessor: FieldAccessor): number {
  const known = slotsByKey.get(accessor.key);
  if (known !== undefined) return known;
  accessors.push(accessor);
  slotsByKey.set(accessor.key, accessors.length - 1);
  return accessors.length - 1;
}

export const KEYWORD_SLOT = register(new KeywordText());
const INITIATED_SLOT = register(new Initiated());
const IPV6_SLOT = register(new DestinationIsIpv6());

export function accessorAt(slot: number): FieldAccessor {
  const a = accessors[slot];
  if (a === undefined) throw new RangeError(`no field slot ${slot}`);
  return a;
}

export function slotCount(): number {
  return accessors.length;
}

/** The slot of an ECS field as written (no Sigma mapping). */
export function ecsSlot(name: string): number {
  return register(new EcsField(name));
}

export interface ResolvedField {
  readonly slot: number;
  /** what the rule reads, for messages and docs: the ECS name or the derived field's name */
  readonly target: string;
}

/** Resolves a rule's field name; the empty name is the keyword search over the raw message. */
export function resolveField(name: string): ResolvedField {
  if (name === '')
    return { slot: KEYWORD_SLOT, target: 'message and the syslog program (else event.original)' };
  if (name === 'Initiated') return { slot: INITIATED_SLOT, target: 'Initiated (network.direction)' };
  if (name === 'DestinationIsIpv6') return { slot: IPV6_SLOT, target: 'DestinationIsIpv6 (network.type)' };
  const ecs = Object.prototype.hasOwnProperty.call(SIGMA_TO_ECS, name) ? SIGMA_TO_ECS[name]! : name;
  return { slot: ecsSlot(ecs), target: ecs };
}
