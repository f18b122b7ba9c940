/** RFC 5424 §6.2.1 facility names, as rsyslog spells them. */
const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

export interface Priority {
  readonly priority: number;
  readonly facility: number;
  readonly facilityName: string;
  readonly severity: number;
  readonly severityName: string;
}

export function decodePriority(pri: number): Priority | undefined {
  if (!Number.isInteger(pri) || pri < 0 || pri > 191) return undefined;
  const facility = pri >> 3;
  const severity = pri & 7;
  return {
    priority: pri,
    facility,
    facilityName: FACILITIES[facility] ?? `facility${facility}`,
    severity,
    severityName: SEVERITIES[severity] ?? `severity${severity}`,
  };
}

export const isAuthFacility = (name: string | undefined): boolean => name === 'auth' || name === 'authpriv';

/** The PRI a `facility.severity` pair names (`auth.notice` -> 37), as Solaris prints it; undefined if unknown. */
export function encodePriority(facilityName: string, severityName: string): number | undefined {
  const facility = (FACILITIES as readonly string[]).indexOf(facilityName);
  const severity = (SEVERITIES as readonly string[]).indexOf(
    severityName === 'warn' ? 'warning' : severityName,
  );
  return facility < 0 || severity < 0 ? undefined : facility * 8 + severity;
}
