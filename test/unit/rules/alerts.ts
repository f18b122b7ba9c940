import { expect } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';

export interface AlertDoc {
  '@timestamp': string;
  rule: { id: string; uuid: string; name: string };
  host: { name: string };
  event: { kind: string; severity: number; original: string; id: string };
  user?: { name?: string; id?: string; target?: { name?: string; id?: string } };
  group?: { name?: string };
  file?: { path?: string; mode?: string };
  process?: { name?: string };
  server?: { ip?: string; port?: number };
  source?: { ip?: string };
  destination?: { ip?: string; port?: number };
  threat?: { technique?: { id?: string[] } };
  tuxwatch: { severity: string; related?: { count?: number }; alert?: { count?: number } };
}

/** The five core detections of CONTRACT §3. */
export const CORE_RULES = [
  'new-uid0-account',
  'sudo-group-membership',
  'authorized-keys-change',
  'suspicious-listener',
  'suid-sgid-creation',
];

/** What an alert is about, in one word: the account, the file, the socket or the address. */
export function subject(a: AlertDoc): string {
  if (a.user?.target?.name && a.rule.id !== 'ssh-login-after-failures') return a.user.target.name;
  if (a.file?.path !== undefined) return a.file.path;
  if (a.server?.port !== undefined) return `${a.process?.name}:${a.server.port}`;
  if (a.destination?.port !== undefined)
    return `${a.process?.name}->${a.destination.ip}:${a.destination.port}`;
  return a.source?.ip ?? '?';
}

/** Runs `tuxwatch scan` as a user would; the run must complete (exit 0). */
export function scan(args: string[]): AlertDoc[] {
  const run = tuxwatch(['scan', '--format', 'ndjson', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return ndjson<AlertDoc>(run.stdout);
}

/** "rule-id subject" of every alert, sorted: the exact set a scan produced (duplicates kept). */
export const summary = (alerts: readonly AlertDoc[]): string[] =>
  alerts.map((a) => `${a.rule.id} ${subject(a)}`).sort();
