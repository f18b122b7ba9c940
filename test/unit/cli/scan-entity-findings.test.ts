import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, REPO, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  host: { name: string };
  user?: { name?: string; target?: { name?: string } };
  group?: { name?: string };
  file?: { path?: string };
  event: { id: string; start: string; end: string; original: string };
  tuxwatch: { alert: { count: number; sources: string[]; datasets: string[] } };
}

/**
 * web02's compromise as four sources saw it: its auth.log (written in America/Los_Angeles), the kernel's
 * audit.log, AIDE's night report, and two `tuxwatch collect` sweeps of a Debian root where the same
 * commands ran (test/fixtures/snapshot/gen-web02.sh: a baseline, then the sweep six hours after the logs).
 */
const SNAPSHOTS = resolve(REPO, 'test', 'fixtures', 'snapshot');
const FILES = {
  before: resolve(SNAPSHOTS, 'web02-collect-before.ndjson'),
  after: resolve(SNAPSHOTS, 'web02-collect-after.ndjson'),
  auth: corpusPath('web02', 'auth.log'),
  audit: corpusPath('web02', 'audit.log'),
  aide: corpusPath('web02', 'aide-report.json'),
};

function scan(files: string[]): AlertDoc[] {
  const run = tuxwatch(['scan', '--host', 'web02', '--timezone', 'America/Los_Angeles', ...files]);
  expect(run.status, run.stderr).toBe(0);
  return ndjson<AlertDoc>(run.stdout);
}

const account = (a: AlertDoc) => a.user?.target?.name ?? a.user?.name;

describe('scan: one finding seen by auth.log, audit.log, AIDE and collect is one alert (web02)', () => {
  let alerts: AlertDoc[];
  const of = (rule: string) => alerts.filter((a) => a.rule.id === rule);
  beforeAll(() => {
    alerts = scan([FILES.before, FILES.after, FILES.auth, FILES.audit, FILES.aide]);
  }, 120_000);

  it('reports each UID 0 account once, with every source counted', () => {
    const uid0 = of('new-uid0-account');
    expect(uid0.map(account).sort()).toEqual(['helpdesk', 'r00t']);
    for (const a of uid0) {
      expect(a.tuxwatch.alert.sources).toEqual(['auditd', 'snapshot', 'syslog']);
      expect(a.tuxwatch.alert.count).toBe(3);
    }
    // the earliest evidence is the alert's: useradd's auth.log line at 07:12:33 in Los Angeles
    const r00t = uid0.find((a) => account(a) === 'r00t')!;
    expect(r00t['@timestamp']).toBe('2026-11-27T15:12:33.000Z');
    expect(r00t.event.original).toMatch(/useradd\[\d+\]: new user: name=r00t, UID=0/);
    expect(r00t.event.start).toBe('2026-11-27T15:12:33.000Z');
    // the collect sweep, hours later, is the last sighting
    expect(Date.parse(r00t.event.end) - Date.parse(r00t.event.start)).toBeGreaterThan(60 * 60_000);
  });

  it('reports each sudo membership once per account and group', () => {
    const sudo = of('sudo-group-membership');
    expect(sudo.map((a) => `${account(a)}:${a.group?.name}`).sort()).toEqual([
      'backupsvc:sudo',
      'helpdesk:sudo',
    ]);
    for (const a of sudo) expect(a.tuxwatch.alert.sources).toEqual(['auditd', 'snapshot', 'syslog']);
  });

  it('reports each authorized_keys file, SUID file and timestomp once', () => {
    const byPath = (rule: string) =>
      Object.fromEntries(of(rule).map((a) => [a.file!.path!, a.tuxwatch.alert.sources]));
    expect(byPath('authorized-keys-change')).toEqual({
      '/home/backupsvc/.ssh/authorized_keys': ['aide', 'auditd', 'snapshot'],
      '/root/.ssh/authorized_keys': ['aide', 'snapshot'],
    });
    expect(byPath('suid-sgid-creation')).toEqual({
      '/usr/local/bin/.rootsh': ['aide', 'auditd', 'snapshot'],
      '/usr/local/bin/healthcheck.sh': ['aide', 'auditd', 'snapshot'],
    });
    expect(byPath('timestomped-file')).toEqual({ '/usr/local/bin/.rootsh': ['aide', 'auditd'] });
  });

  it('says nothing about the benign account', () => {
    expect(alerts.filter((a) => JSON.stringify(a).includes('jdoe'))).toEqual([]);
  });

  it('gives the same alerts and ids whatever order the files are read in', () => {
    const reversed = scan([FILES.aide, FILES.audit, FILES.auth, FILES.before, FILES.after]);
    const summary = (list: AlertDoc[]) =>
      list
        .map((a) =>
          JSON.stringify([
            a.event.id,
            a.rule.id,
            a['@timestamp'],
            a.tuxwatch.alert,
            a.event.start,
            a.event.end,
          ]),
        )
        .sort();
    expect(summary(reversed)).toEqual(summary(alerts));
  }, 120_000);
});
