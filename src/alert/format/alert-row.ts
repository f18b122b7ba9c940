import type { Alert } from '../../domain/alert';
import type { FieldValue } from '../../domain/event';
import { PIDS } from '../namespaced-pids';

/** What a responder reads of one alert, in the terminal table, the CSV and the HTML report alike. */
export interface AlertRow {
  /** `@timestamp`, UTC ISO 8601 */
  readonly time: string;
  /** `event.end` when the finding was seen more than once */
  readonly end?: string;
  readonly severity: string;
  readonly rule: string;
  readonly title: string;
  readonly host: string;
  readonly count: number;
  /**
   * the entities the alert is about, `name=value` separated by spaces, a value with blanks in double quotes
   * (attacker text, not escaped for a terminal)
   */
  readonly subject: string;
}

/** The entity fields that say what an alert is about, in the order a responder reads them. */
const SUBJECT: readonly (readonly [field: string, label: string])[] = [
  ['user.target.name', 'target'],
  ['user.name', 'user'],
  ['group.name', 'group'],
  ['file.path', 'path'],
  ['file.mode', 'mode'],
  ['process.name', 'process'],
  ['process.pid', 'pid'],
  ['process.executable', 'exe'],
  ['server.ip', 'listen'],
  ['destination.ip', 'to'],
  ['source.ip', 'from'],
  ['process.command_line', 'cmd'],
];

export function alertRow(alert: Alert): AlertRow {
  const f = alert.fields;
  const time = String(f['@timestamp']);
  const end = typeof f['event.end'] === 'string' && f['event.end'] !== time ? f['event.end'] : undefined;
  return {
    time,
    ...(end !== undefined && { end }),
    severity: String(f['tuxwatch.severity'] ?? 'informational'),
    rule: String(f['rule.id']),
    title: String(f['rule.name'] ?? ''),
    host: String(f['host.name']),
    count: typeof f['tuxwatch.alert.count'] === 'number' ? f['tuxwatch.alert.count'] : 1,
    subject: subject(f),
  };
}

function subject(f: Alert['fields']): string {
  const parts: string[] = [];
  for (const [field, label] of SUBJECT) {
    // a process seen under a pid in each of two namespaces: both
    const value = field === 'process.pid' ? (f[PIDS] ?? f[field]) : f[field];
    if (value === undefined || value === null) continue;
    // a name that says nothing new: process.executable of process "sshd" is worth showing, not user=toor twice
    if (field === 'user.name' && value === f['user.target.name']) continue;
    parts.push(`${label}=${show(value)}${portOf(f, field)}`);
  }
  return parts.join(' ');
}

/** `listen=0.0.0.0:8081`, `to=203.0.113.50:1337`: an address with its port. */
function portOf(f: Alert['fields'], field: string): string {
  const side = field.endsWith('.ip') ? field.slice(0, -3) : undefined;
  const port = side !== undefined ? f[`${side}.port`] : undefined;
  return port !== undefined && port !== null ? `:${show(port)}` : '';
}

const show = (v: FieldValue): string => quoted(Array.isArray(v) ? v.join(',') : String(v));

/**
 * A value as one word of the subject: in double quotes when it has blanks, quotes or nothing in it. An
 * intruder's hidden directory is often `. ` or `.. ` (a blank nobody sees at the end), and a path or command
 * with blanks could otherwise pass for more `name=value` pairs (`path=/tmp/a exe=/bin/sh`).
 */
function quoted(text: string): string {
  if (text !== '' && !/[\s"]/.test(text)) return text;
  // a backslash is doubled inside quotes, or `x\" exe=/usr/sbin/sshd` would end the value early
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** `2026-11-26T08:11:17.000Z` -> `2026-11-26 08:11:17` (UTC, to the second: what a table needs). */
export const shortTime = (iso: string): string => iso.replace('T', ' ').replace(/(?:\.\d+)?Z$/, '');
