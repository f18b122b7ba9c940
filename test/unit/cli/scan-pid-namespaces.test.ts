import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';
import { AUDIT_FIXTURES } from '../parse/audit-evidence';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  process: { pid: number; name: string; executable?: string; command_line?: string };
  user?: { name?: string };
  server?: { port?: number };
  destination?: { ip?: string; port?: number };
  event: { original: string };
  tuxwatch: { alert: { count: number; sources: string[] }; process?: { pids?: number[] } };
}

const SOCKET_RULES = new Set(['suspicious-listener', 'masquerading-process-connection']);

/** The socket alerts of a scan, by what they are about: the port listened on or the destination. */
function sockets(args: string[]): Map<string, AlertDoc[]> {
  const run = tuxwatch(['scan', '--format', 'ndjson', ...args]);
  expect(run.status, run.stderr).toBe(0);
  const found = new Map<string, AlertDoc[]>();
  for (const a of ndjson<AlertDoc>(run.stdout).filter((a) => SOCKET_RULES.has(a.rule.id))) {
    const place = a.server?.port ?? `${a.destination?.ip}:${a.destination?.port}`;
    const key = `${a.rule.id} ${a.process.name} ${place}`;
    found.set(key, [...(found.get(key) ?? []), a]);
  }
  return found;
}

/**
 * gen-evidence.sh plants its compromise in a pid namespace: auditd, outside it, writes the host's pids
 * (26687 …), while the ss, lsof and ps run inside write the namespace's (411 …), as on a host whose
 * container is swept from inside. Each listener and the C2 connection are one finding, not one per pid.
 */
describe('scan of an audited host swept from inside its pid namespace (pune-db3: auditd RAW, ss, lsof, ps)', () => {
  let found: Map<string, AlertDoc[]>;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-pune-db3-'));
    const fixture = resolve(AUDIT_FIXTURES, 'pune-db3');
    writeFileSync(join(dir, 'audit.log'), gunzipSync(readFileSync(join(fixture, 'audit.log.gz'))));
    for (const f of ['ss-tunap.txt', 'ss-tlnp.txt', 'lsof-i.txt', 'ps-auxww.txt'])
      copyFileSync(join(fixture, f), join(dir, f));
    found = sockets(['--host', 'pune-db3', dir]);
  }, 60_000);

  it('one alert per listener and connection, seen by auditd, ss and lsof', () => {
    expect([...found.keys()].sort()).toEqual([
      'masquerading-process-connection initd 192.0.2.77:4444',
      'suspicious-listener nc.openbsd 4444',
      'suspicious-listener smbd 1524',
      'suspicious-listener smbd 31337',
    ]);
    for (const [key, alerts] of found) {
      expect(alerts, key).toHaveLength(1);
      expect(alerts[0]!.tuxwatch.alert.sources, key).toEqual(['auditd', 'lsof', 'ss']);
    }
  });

  it('the audit record is the first occurrence: its time, its host pid; the sweep adds the user and command line', () => {
    const [smbd] = found.get('suspicious-listener smbd 31337')!;
    const epoch = /msg=audit\((\d+)\.(\d{3}):/.exec(smbd!.event.original)!;
    expect(Date.parse(smbd!['@timestamp'])).toBe(Number(epoch[1]) * 1000 + Number(epoch[2]));
    expect(smbd!.process).toMatchObject({
      pid: 26687,
      executable: '/tmp/gen.wRUM/bin/smbd',
      command_line: '/tmp/gen.wRUM/bin/smbd -lk 0.0.0.0 31337',
    });
    expect(smbd!.user?.name).toBe('root');
    expect(smbd!.tuxwatch.process?.pids).toEqual([26687, 411]);
    const [initd] = found.get('masquerading-process-connection initd 192.0.2.77:4444')!;
    expect(initd!.process.pid).toBe(26691);
    expect(initd!.process.command_line).toBe('/tmp/gen.wRUM/bin/initd -d 192.0.2.77 4444');
  });
});

describe('the table of such a host', () => {
  it('names both pids of each listener and connection', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-pune-db3-table-'));
    const fixture = resolve(AUDIT_FIXTURES, 'pune-db3');
    writeFileSync(join(dir, 'audit.log'), gunzipSync(readFileSync(join(fixture, 'audit.log.gz'))));
    for (const f of ['ss-tunap.txt', 'lsof-i.txt']) copyFileSync(join(fixture, f), join(dir, f));
    const run = tuxwatch(['scan', '--format', 'table', '--no-color', '--host', 'pune-db3', dir]);
    expect(run.status, run.stderr).toBe(0);
    const rows = run.stdout
      .split('\n')
      .filter((l) => /^\d{4}-\d\d-\d\d .* (suspicious-listener|masquerading-process-connection) /.test(l));
    expect(rows.map((r) => /pid=(\S+)/.exec(r)?.[1]).sort()).toEqual([
      '26687,411',
      '26688,412',
      '26689,413',
      '26691,415',
    ]);
  });
});

describe('web02 (shared corpus): the same, with auth logs, AIDE and syslog beside', () => {
  it('each of its listeners and its C2 connection is one alert', () => {
    const found = sockets(['--host', 'web02', '--timezone', 'America/Los_Angeles', corpusPath('web02')]);
    expect([...found.keys()].sort()).toEqual([
      'masquerading-process-connection initd 203.0.113.9:8443',
      'suspicious-listener nc.openbsd 8443',
      'suspicious-listener smbd 4444',
      'suspicious-listener smbd 6667',
    ]);
    for (const [key, alerts] of found) expect(alerts, key).toHaveLength(1);
  });
});
