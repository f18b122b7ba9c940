/** Input kinds of CONTRACT §1, in the order `auto` sniffing tries them. */
export const INPUT_KINDS = [
  'aide',
  'auditbeat',
  'wazuh',
  'osquery',
  'snapshot',
  'filebeat',
  'rsyslog-json',
  'ecs',
  'auditd',
  'ss',
  'lsof',
  'ps',
  'sysmon',
  'syslog',
] as const;

export type InputKind = (typeof INPUT_KINDS)[number];

export function isInputKind(value: string): value is InputKind {
  return (INPUT_KINDS as readonly string[]).includes(value);
}
