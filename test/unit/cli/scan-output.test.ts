/* eslint-disable no-control-regex -- these tests look for terminal control characters */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../../src/alert/format/csv';
import { CLI, ndjson, REPO, tuxwatch } from '../../support/cli';

const WEB01 = ['--host', 'web01', '--timezone', 'Europe/Berlin', 'samples/web01'];
const SGR = /\u001b\[[0-9;]*m/g;

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  event: { id: string; original: string; start: string; end: string };
  tuxwatch: { severity: string };
}

/** The CLI on a real pseudo-terminal (util-linux `script`) of `cols` columns, as a responder runs it. */
function onTerminal(args: string[], cols: number, env: Record<string, string> = {}): string {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync(
    'script',
    ['-qfec', `stty cols ${cols}; '${process.execPath}' '${CLI}' ${quoted}`, '/dev/null'],
    {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...env },
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.replace(/\r\n/g, '\n');
}

describe('scan --format csv', () => {
  const run = tuxwatch(['scan', '--format', 'csv', ...WEB01]);
  const json = ndjson<AlertDoc>(tuxwatch(['scan', '--format', 'ndjson', ...WEB01]).stdout);

  it('round-trips through a standard CSV parser: stable columns, one row per alert, the timeline order', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\r\n$/); // RFC 4180 line ends
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => [r['@timestamp'], r['rule.id'], r['event.id']])).toEqual(
      json.map((a) => [a['@timestamp'], a.rule.id, a.event.id]),
    );
    // raw records with commas, quotes and a trailing space come back byte for byte
    expect(rows.map((r) => r['event.original'])).toEqual(json.map((a) => a.event.original));
    expect(rows.find((r) => r['file.path']?.startsWith('/var/tmp/.'))!['file.path']).toBe('/var/tmp/. ');
  });

  it('a cell a spreadsheet would run as a formula is defused', () => {
    const injected =
      'Nov 26 09:11:17 web01 useradd[207]: new user: name==cmd|calc, UID=0, GID=0, home=/root, shell=/bin/bash, from=none';
    const r = tuxwatch(['scan', '--format', 'csv', '-'], injected + '\n');
    const [row] = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(row!['user.target.name']).toBe("'=cmd|calc");
  });

  it('with no alert it is still a table: the header row', () => {
    const r = tuxwatch(['scan', '--format', 'csv', '-'], 'Nov 26 09:10:47 web01 CRON[1]: nothing\n');
    expect(parse(r.stdout)).toEqual([[...CSV_COLUMNS]]);
  });
});

describe('scan filters', () => {
  const all = ndjson<AlertDoc>(tuxwatch(['scan', ...WEB01]).stdout);
  const only = (...args: string[]) => {
    const r = tuxwatch(['scan', ...args, ...WEB01]);
    expect(r.status, r.stderr).toBe(0);
    return ndjson<AlertDoc>(r.stdout);
  };

  it('--min-severity high keeps high and critical alerts only, and the summary says how many were hidden', () => {
    const high = only('--min-severity', 'high');
    expect(high.length).toBeGreaterThan(0);
    expect(high.map((a) => a.tuxwatch.severity).sort()).toEqual(
      all
        .filter((a) => ['high', 'critical'].includes(a.tuxwatch.severity))
        .map((a) => a.tuxwatch.severity)
        .sort(),
    );
    const r = tuxwatch(['scan', '--min-severity', 'high', ...WEB01]);
    expect(r.stderr).toContain(`alerts     ${high.length} shown of ${all.length} found`);
  }, 30_000);

  it('--since and --until apply to event time (ISO 8601), relative times count back from now', () => {
    // the failed logins before 08:11:17 are the only findings that end before it
    const cut = '2026-11-26T08:11:17.000Z';
    const since = only('--since', '2026-11-26T08:11:17Z');
    expect(since.map((a) => a.event.id)).toEqual(
      all.filter((a) => a.event.end >= cut).map((a) => a.event.id),
    );
    expect(since.length).toBeLessThan(all.length);
    const until = only('--until', '2026-11-26T08:11:10Z');
    expect(until.length).toBeGreaterThan(0);
    expect(new Set(until.map((a) => a.rule.id))).toEqual(new Set(['ssh-brute-force']));
    // the snapshots were written when the samples were checked out: within the last 100 years, not the next
    expect(only('--since', '36500d')).toHaveLength(all.length);
    expect(only('--until', '0m', '--since', '1m')).toEqual([]);
  }, 60_000);

  it('--rule keeps the named rules; an id no rule has is bad usage', () => {
    const two = only('--rule', 'new-uid0-account', '--rule', 'suspicious-listener');
    expect(new Set(two.map((a) => a.rule.id))).toEqual(new Set(['new-uid0-account', 'suspicious-listener']));
    expect(two).toHaveLength(5);
    const bad = tuxwatch(['scan', '--rule', 'new-uid-zero', ...WEB01]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no loaded rule has the id "new-uid-zero"/);
  }, 30_000);

  it.each([
    ['--min-severity', 'severe'],
    ['--since', 'yesterday'],
    ['--until', '2026-13-40'],
  ])('%s %s is bad usage', (flag, value) => {
    const r = tuxwatch(['scan', flag, value, ...WEB01]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(flag);
  });
});

describe('scan on a terminal', () => {
  it('prints a table coloured by severity, fitted to the width, then the summary', () => {
    const out = onTerminal(['scan', ...WEB01], 100);
    expect(out).toContain('\u001b[1m\u001b[91m2026-11-26 08:11:17  critical'); // critical: bold bright red
    expect(out).toMatch(/\u001b\[31m2026-11-26 08:11:17 {2}high/);
    expect(out).toMatch(/\u001b\[32m2026-11-26 08:11:17 {2}low/);
    const lines = out.replace(SGR, '').split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(lines.some((l) => l.endsWith('…'))).toBe(true); // long subjects are cut, not wrapped
    expect(out).toContain('summary');
    expect(out).toMatch(/host {7}web01: \d+ alert\(s\), 2026-11-26 08:1\d:\d\d … /);
  });

  it('NO_COLOR, --no-color and TERM=dumb turn colours off; a narrow terminal still gets whole rows', () => {
    for (const out of [
      onTerminal(['scan', ...WEB01], 80, { NO_COLOR: '1' }),
      onTerminal(['scan', ...WEB01], 80, { TERM: 'dumb' }),
      onTerminal(['scan', '--no-color', ...WEB01], 80),
    ]) {
      expect(out).not.toContain('\u001b[');
      for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
      expect(out).toMatch(/critical {2}new-uid0-account/);
    }
  }, 30_000);

  it('in a pipe there is no colour and nothing is cut', () => {
    const r = tuxwatch(['scan', '--format', 'table', ...WEB01]);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout).toContain('cmd="/tmp/gen.Al5v/bin/smbd -lk 0.0.0.0 31337"');
    // the hidden directory is `. `: the blank at its end is what hides it, and the quotes show it
    expect(r.stdout).toContain('path="/var/tmp/. " mode=0755');
  });
});

describe('the summary', () => {
  it('counts what was read and found, per severity, rule and host, and the evidence’s time span', () => {
    const r = tuxwatch(['scan', ...WEB01]);
    expect(r.stderr).toMatch(/read {7}6 file\(s\), \d+ record\(s\), \d+ event\(s\), 0 dead letter\(s\)/);
    expect(r.stderr).toMatch(/evidence {3}2026-11-26 08:10:47 … \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    const all = ndjson<AlertDoc>(r.stdout);
    const n = (level: string) => all.filter((a) => a.tuxwatch.severity === level).length;
    expect(r.stderr).toContain(
      `alerts     ${all.length}: critical ${n('critical')}, high ${n('high')}, medium ${n('medium')}, ` +
        `low ${n('low')}, informational ${n('informational')}`,
    );
    expect(r.stderr).toMatch(/by rule {4}account-database-change 4, suspicious-listener 3, /);
  });

  it('says how many events were read in an assumed zone, and which: a forgotten --timezone shows', () => {
    const zoneLine = (args: string[]) =>
      tuxwatch(['scan', '--format', 'ndjson', ...args])
        .stderr.split('\n')
        .find((l) => l.startsWith('  zone'));
    // auth.log and syslog write local time without an offset; AIDE's report, ss, lsof and ps need none
    const lines = (file: string) =>
      readFileSync(join(REPO, 'samples', 'web01', file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '').length;
    const bsd = lines('auth.log') + lines('syslog');
    expect(zoneLine(WEB01)).toBe(
      `  zone       ${bsd} event(s) read in Europe/Berlin, their records carry no UTC offset (--timezone)`,
    );
    expect(zoneLine(['--host', 'web01', 'samples/web01'])).toMatch(
      new RegExp(`^  zone {7}${bsd} event\\(s\\) read in UTC, `),
    );
    // the parse workers count the events they keep from this thread alike
    expect(zoneLine(['--threads', '2', ...WEB01])).toBe(zoneLine(WEB01));
    expect(zoneLine(['--host', 'web01', 'samples/web01/lsof-i.txt'])).toBeUndefined();
  });

  it('names each skipped file and each dead letter reason', () => {
    const r = tuxwatch(['scan', '--timezone', 'UTC', 'samples'], undefined);
    expect(r.stderr).toMatch(/skipped {4}samples\/README\.md: no parser recognises its first record/);
  });
});
