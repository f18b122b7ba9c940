import { ecsSlot } from './field-map';
import { StringTest } from './field-tests';
import { GlobPattern } from './glob';
import { and, type DetectionNode } from './logic';
import { SigmaString } from './sigma-string';

/**
 * The `event.dataset` values tuxwatch's parsers produce (docs/events.md), and `health`: the events the
 * service makes itself about its sources (a host whose auth log fell silent). `auditd` holds one event per
 * audit record, for rules written against the records themselves (`service: auditd`).
 */
export const DATASETS = [
  'syslog',
  'auth',
  'file_integrity',
  'socket',
  'process',
  'health',
  'auditd',
] as const;
export type Dataset = (typeof DATASETS)[number];

export interface Logsource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

/** Which events a rule can see: datasets (for the index) and, when needed, a further filter on the event. */
export type LogsourceBinding =
  | {
      readonly active: true;
      readonly datasets: readonly Dataset[];
      /** e.g. the syslog program for `service: sshd`; null when the datasets say it all */
      readonly filter: DetectionNode | null;
      /** what the rule runs on, in words */
      readonly description: string;
    }
  | {
      readonly active: false;
      readonly reason: string;
      /** the logsource key the reason is about, when one is */
      readonly cause?: keyof Logsource;
    };

const SYSLOG_FAMILY: readonly Dataset[] = ['syslog', 'auth'];

/** Syslog programs (`process.name`) per Sigma Linux service. */
const SERVICE_PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  // OpenSSH 9.8 split the per-connection server out of sshd: its lines are tagged sshd-session
  sshd: ['sshd', 'sshd-session'],
  sudo: ['sudo'],
  su: ['su'],
  // crontab(1) logs the table edits (BEGIN EDIT, REPLACE, LIST) under its own name
  cron: ['cron', 'CRON', 'crond', 'crontab'],
  vsftpd: ['vsftpd'],
  clamav: ['clamd', 'freshclam'],
  guacamole: ['guacd'],
};

const NOT_INGESTED_PRODUCTS = new Set([
  'windows',
  'macos',
  'aws',
  'azure',
  'gcp',
  'm365',
  'okta',
  'github',
  'onelogin',
  'google_workspace',
  'zeek',
  'cisco',
  'fortios',
  'paloalto',
  'huawei',
  'juniper',
  'opencanary',
  'bitbucket',
  'jvm',
  'nodejs',
  'python',
  'ruby_on_rails',
  'spring',
  'sql',
  'velocity',
  'django',
  'kubernetes',
  'rpc_firewall',
  'qualys',
  'modsecurity',
]);

type Part =
  | { datasets: readonly Dataset[]; filter: DetectionNode | null; description: string }
  | { reason: string; cause: keyof Logsource };

export function bindLogsource(ls: Logsource): LogsourceBinding {
  const product = ls.product?.toLowerCase();
  if (product === 'tuxwatch') {
    return {
      active: true,
      datasets: ['health'],
      filter: null,
      description: "tuxwatch's own observations of its sources (event.dataset health)",
    };
  }
  if (product !== undefined && product !== 'linux') {
    return {
      active: false,
      cause: 'product',
      reason: NOT_INGESTED_PRODUCTS.has(product)
        ? `logsource product ${ls.product}: tuxwatch ingests Linux evidence only`
        : `logsource product ${ls.product} is unknown to tuxwatch, which ingests Linux evidence only`,
    };
  }
  const parts: Part[] = [];
  if (ls.category !== undefined) parts.push(category(ls.category));
  if (ls.service !== undefined) parts.push(service(ls.service));
  if (parts.length === 0) {
    parts.push({
      datasets: SYSLOG_FAMILY,
      filter: null,
      description: 'every syslog and auth-log event (keywords match the raw message)',
    });
  }
  for (const p of parts) if ('reason' in p) return { active: false, reason: p.reason, cause: p.cause };
  const bound = parts as Extract<Part, { datasets: unknown }>[];
  const datasets = bound.reduce<readonly Dataset[]>(
    (acc, p) => acc.filter((d) => p.datasets.includes(d)),
    DATASETS,
  );
  if (datasets.length === 0) {
    return {
      active: false,
      reason: `logsource category ${ls.category} with service ${ls.service} selects no tuxwatch event`,
    };
  }
  const filters = bound.map((p) => p.filter).filter((f): f is DetectionNode => f !== null);
  return {
    active: true,
    datasets,
    filter: filters.length === 0 ? null : and(filters),
    description: bound.map((p) => p.description).join('; '),
  };
}

function service(name: string): Part {
  const s = name.toLowerCase();
  if (s === 'auth')
    return { datasets: ['auth'], filter: null, description: 'auth-log events (event.dataset auth)' };
  if (s === 'syslog')
    return { datasets: SYSLOG_FAMILY, filter: null, description: 'every syslog and auth-log event' };
  const programs = SERVICE_PROGRAMS[s];
  if (programs !== undefined) {
    return {
      datasets: SYSLOG_FAMILY,
      filter: exactly('process.name', programs),
      description: `syslog events of ${programs.join('/')} (process.name)`,
    };
  }
  if (s === 'auditd') {
    return {
      datasets: ['auditd'],
      filter: null,
      description:
        'audit records, one event per record with its own fields (type, a0…, exe, comm, name, key, SYSCALL, …) decoded',
    };
  }
  return {
    cause: 'service',
    reason:
      `logsource service ${name}: tuxwatch ingests no ${name} records ` +
      `(Linux services it reads: auth, syslog, ${Object.keys(SERVICE_PROGRAMS).join(', ')})`,
  };
}

function category(name: string): Part {
  switch (name.toLowerCase()) {
    case 'file_event':
    case 'file_change':
    case 'file_create':
      return {
        datasets: ['file_integrity'],
        filter: null,
        description: 'file-integrity events (AIDE, Auditbeat, Wazuh, osquery file_events)',
      };
    case 'file_delete':
      return {
        datasets: ['file_integrity'],
        filter: exactly('event.type', ['deletion']),
        description: 'file-integrity deletions',
      };
    case 'network_connection':
      return {
        datasets: ['socket'],
        filter: exactly('event.action', ['socket-connected']),
        description: 'connected sockets from ss/lsof/osquery snapshots (not listeners)',
      };
    case 'network_listen':
      return {
        datasets: ['socket'],
        filter: exactly('event.action', ['socket-listening']),
        description:
          'listening sockets from ss/lsof/osquery snapshots (a tuxwatch category; Sigma has none for listeners)',
      };
    case 'process_creation':
      // a process start (exec) or a snapshot row of a running process; never its end (Sysmon EventID 5,
      // Auditbeat process_stopped), which repeats the fields of a start that already fired
      return {
        datasets: ['process'],
        filter: exactly('event.type', ['start', 'info']),
        description:
          'process starts (audit EXECVE, Auditbeat auditd/system process_started, osquery process_events, ' +
          'Sysmon EventID 1) and process snapshots (ps auxww), not process ends',
      };
    default:
      return {
        cause: 'category',
        reason: `logsource category ${name}: tuxwatch has no such events (categories it reads: file_event, file_change, file_create, file_delete, network_connection, network_listen, process_creation)`,
      };
  }
}

/** A case-sensitive test that a field has one of the given values. */
function exactly(field: string, values: readonly string[]): DetectionNode {
  return new StringTest(
    ecsSlot(field),
    false,
    values.map((v) => GlobPattern.compile(SigmaString.literal(v), false)),
  );
}
