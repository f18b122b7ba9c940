import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, REPO, tuxwatch } from '../../support/cli';
import { web01Actions } from '../../support/corpus';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  host: { name: string };
  event: { severity: number; ingested?: string; module: string };
  user?: { name?: string; target?: { name?: string } };
  file?: { path?: string; ctime?: string; mtime?: string };
  process?: { name?: string; pid?: number; executable?: string; command_line?: string };
  server?: { port?: number };
  destination?: { ip?: string; port?: number };
  tuxwatch: { alert: { count: number; sources: string[] } };
}

const SAMPLES = resolve(REPO, 'samples', 'web01');
/**
 * ss, lsof and ps carry no time of their own: they were observed when their files were written. A checkout
 * writes the three at slightly different times, and a finding two of them saw takes the earlier.
 */
const snapshotMtimes = ['ss-tunap.txt', 'lsof-i.txt', 'ps-auxww.txt'].map((file) =>
  statSync(resolve(SAMPLES, file)).mtime.getTime(),
);
const snapshotTimes = [Math.min(...snapshotMtimes), Math.max(...snapshotMtimes)] as const;
const actionTime = (fragment: string): number =>
  Date.parse(web01Actions().find((a) => a.action.includes(fragment))!.utc);

/** What a responder counts in samples/web01: one line per finding, with when it happened. */
const FINDINGS: (readonly [rule: string, subject: string, at: number | readonly [number, number]])[] = [
  // 3 "Invalid user admin" + 3 failed passwords for admin + 5 for root: two windows of five attempts
  ['ssh-brute-force', 'admin', [actionTime('ssh failed password'), actionTime('useradd benign alice')]],
  ['ssh-brute-force', 'root', [actionTime('ssh failed password'), actionTime('useradd benign alice')]],
  ['new-uid0-account', 'toor', actionTime('useradd UID0 toor')],
  ['new-uid0-account', 'tmpadmin', actionTime('usermod -o -u 0 tmpadmin')],
  ['sudo-group-membership', 'svc-backup', actionTime('useradd svc-backup')],
  ['sudo-group-membership', 'tmpadmin', actionTime('useradd tmpadmin')],
  ['ssh-login-after-failures', 'root', actionTime('ssh key login root with attacker key')],
  ['authorized-keys-change', '/root/.ssh/authorized_keys', actionTime('authorized_keys:')],
  ['authorized-keys-change', '/home/svc-backup/.ssh/authorized_keys', actionTime('authorized_keys:')],
  ['suid-sgid-creation', '/usr/local/bin/.rootsh', actionTime('SUID:')],
  ['suid-sgid-creation', '/usr/local/bin/healthcheck.sh', actionTime('SUID:')],
  ['timestomped-file', '/usr/local/bin/.rootsh', actionTime('timestomp')],
  ['sudoers-change', '/etc/sudoers.d/99-svc-backup', actionTime('sudoers.d backdoor')],
  ['hosts-file-change', '/etc/hosts', actionTime('hosts file redirect')],
  ['inittab-change', '/etc/inittab', actionTime('inittab respawn')],
  ['dev-regular-file', '/dev/.udev-cache', actionTime('regular file in /dev')],
  ['hidden-directory', '/var/tmp/. ', actionTime('regular file in /dev')],
  ...['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow'].map(
    (path) =>
      [
        'account-database-change',
        path,
        [actionTime('useradd benign alice') - 1000, actionTime('chpasswd alice')],
      ] as const,
  ),
  ['suspicious-listener', '8081', snapshotTimes],
  ['suspicious-listener', '31337', snapshotTimes],
  ['suspicious-listener', '1337', snapshotTimes],
  ['masquerading-process-connection', '203.0.113.50:1337', snapshotTimes],
];

/** The one entity a responder names a finding by. */
function subject(a: AlertDoc): string {
  if (a.file?.path !== undefined) return a.file.path;
  if (a.server?.port !== undefined) return String(a.server.port);
  if (a.destination?.port !== undefined) return `${a.destination.ip}:${a.destination.port}`;
  return a.user?.target?.name ?? a.user?.name ?? '';
}

const scanWeb01 = (...extra: string[]) =>
  tuxwatch(['scan', '--host', 'web01', '--timezone', 'Europe/Berlin', ...extra, 'samples/web01']);

describe('scan of samples/web01: a timeline with one alert per finding', () => {
  const run = scanWeb01('--format', 'ndjson');
  const alerts = ndjson<AlertDoc>(run.stdout);

  it('lists every finding once, at the time it happened', () => {
    expect(run.status, run.stderr).toBe(0);
    const seen = alerts.map((a) => `${a.rule.id} ${subject(a)}`);
    expect(new Set(seen).size, `duplicates in ${seen.join('\n')}`).toBe(seen.length);
    expect(seen.sort()).toEqual(FINDINGS.map(([rule, what]) => `${rule} ${what}`).sort());
    for (const [rule, what, at] of FINDINGS) {
      const alert = alerts.find((a) => a.rule.id === rule && subject(a) === what)!;
      const t = Date.parse(alert['@timestamp']);
      // logs and AIDE write whole seconds: a time is its second, cut
      const [from, to] = typeof at === 'number' ? [at - 1000, at] : at;
      expect(t, `${rule} ${what} at ${alert['@timestamp']}`).toBeGreaterThanOrEqual(from);
      expect(t, `${rule} ${what} at ${alert['@timestamp']}`).toBeLessThanOrEqual(to);
    }
  });

  it('is sorted by @timestamp, ties by severity (most severe first), then rule', () => {
    const keys = alerts.map((a) => [a['@timestamp'], -a.event.severity, a.rule.id] as const);
    const sorted = [...keys].sort((x, y) =>
      x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] !== y[1] ? x[1] - y[1] : x[2].localeCompare(y[2]),
    );
    expect(keys).toEqual(sorted);
    expect(alerts[0]!.rule.id).toBe('ssh-brute-force');
    // the sweep's files are the newest evidence: the timeline ends with what they showed
    const last = Date.parse(alerts.at(-1)!['@timestamp']);
    expect(last).toBeGreaterThanOrEqual(snapshotTimes[0]);
    expect(last).toBeLessThanOrEqual(snapshotTimes[1]);
  });

  it('places AIDE changes at the file’s ctime and keeps the report time in event.ingested', () => {
    const rootsh = alerts.find((a) => a.rule.id === 'timestomped-file')!;
    expect(rootsh['@timestamp']).toBe(rootsh.file!.ctime);
    expect(rootsh.file!.mtime).toBe('2019-01-01T02:04:05.000Z');
    expect(rootsh.event.ingested).toBe('2026-11-26T08:11:19.000Z');
  });

  it('a socket seen by ss, lsof and ps is one alert with the full name and what each source knew', () => {
    const nc = alerts.find((a) => a.rule.id === 'suspicious-listener' && a.server?.port === 1337)!;
    // lsof prints `nc.openbs`; ss and ps give the whole name, lsof and ps the user
    expect(nc.process).toMatchObject({ name: 'nc.openbsd', pid: 413 });
    expect(nc.process!.command_line).toBe('nc.openbsd -lk 203.0.113.50 1337');
    expect(nc.user?.name).toBe('root');
    expect(nc.tuxwatch.alert.sources).toEqual(['lsof', 'ps', 'ss']);
    const smbd = alerts.find((a) => a.rule.id === 'suspicious-listener' && a.server?.port === 31337)!;
    // only ps knows where the "smbd" runs from
    expect(smbd.process).toMatchObject({ name: 'smbd', pid: 412, executable: '/tmp/gen.Al5v/bin/smbd' });
    const initd = alerts.find((a) => a.rule.id === 'masquerading-process-connection')!;
    expect(initd.process).toMatchObject({ name: 'initd', pid: 415, executable: '/tmp/gen.Al5v/bin/initd' });
    expect(initd.tuxwatch.alert.count).toBe(2);
  });

  it('the fold does not depend on the order the files are read in', () => {
    const files = ['ss-tunap.txt', 'ps-auxww.txt', 'lsof-i.txt'].map((f) => resolve(SAMPLES, f));
    const reversed = ndjson<AlertDoc>(
      tuxwatch(['scan', '--host', 'web01', '--format', 'ndjson', ...files]).stdout,
    );
    const forward = ndjson<AlertDoc>(
      tuxwatch(['scan', '--host', 'web01', '--format', 'ndjson', ...[...files].reverse()]).stdout,
    );
    // equal in time, severity and rule, they keep first-seen order: compare them by subject
    const view = (list: AlertDoc[]) =>
      list
        .map((a) => [a.rule.id, subject(a), a.process, a.user?.name, a.tuxwatch.alert.sources] as const)
        .sort((x, y) => `${x[0]} ${x[1]}`.localeCompare(`${y[0]} ${y[1]}`));
    expect(reversed).toHaveLength(4);
    expect(view(reversed)).toEqual(view(forward));
  }, 30_000); // two scans: a loaded machine takes seconds
});
