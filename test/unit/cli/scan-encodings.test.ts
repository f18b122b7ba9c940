import { appendFileSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user?: { name?: string };
  source?: { ip?: string };
  tuxwatch: { alert: { count: number } };
}

/** rules that count events over a window (correlations), where a copy counted again raised alerts */
const COUNTING = new Set([
  'ssh-brute-force',
  'account-brute-force',
  'password-spraying',
  'ssh-scanner-probe',
  'ssh-login-after-failures',
]);

function counted(host: string, ...files: string[]): string[] {
  const { tz } = JSON.parse(readFileSync(corpusPath(host, 'manifest.json'), 'utf8')) as { tz: string };
  return countedIn(host, tz, files);
}

function countedIn(host: string, tz: string, files: readonly string[]): string[] {
  const run = tuxwatch(['scan', '--format', 'ndjson', '--host', host, '--timezone', tz, ...files]);
  expect(run.status, run.stderr).toBe(0);
  return (
    ndjson<AlertDoc>(run.stdout)
      .filter((a) => COUNTING.has(a.rule.id))
      // to the second: the directory's first file may be a copy with the fraction auth.log lacks
      .map((a) => `${a['@timestamp'].slice(0, 19)} ${a.rule.id} ${a.user?.name ?? ''} ${a.source?.ip ?? ''}`)
  );
}

// The evidence generator's rsyslog writes every auth message four times — auth.log, an ISO 8601 and an
// RFC 5424 copy, and a JSON feed — as hosts shipping to a SIEM often do. A responder scans the directory.
describe('scan of a directory holding one log in four encodings', () => {
  it.each(['web01', 'web02'])(
    '%s: the brute-force and login-after-failure alerts are those of auth.log alone',
    (host) => {
      const alone = counted(host, corpusPath(host, 'auth.log'));
      expect(alone.length).toBeGreaterThanOrEqual(3);
      const all = counted(host, corpusPath(host));
      expect(all).toEqual(alone);
      // three attempts for admin and five for root: ten per account is never reached, in any copy
      expect(all.filter((a) => a.includes('account-brute-force'))).toEqual([]);
    },
    60_000,
  );
});

// A log longer than the correlations' timespan: the directory's second file brings copies of records that
// left every window long before (scan reads one file after another). They counted again: two
// account-brute-force alerts (five and three attempts on root, plus their copies), and every brute-force
// alert twice.
describe('scan of a directory holding 40 minutes of one log in four encodings', () => {
  const fixtures = join(__dirname, '../../fixtures/syslog/encodings-40min');
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-encodings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of ['auth.log', 'auth-iso8601.log', 'auth-rfc5424.log', 'all-rsyslog.jsonl']) {
    copyFileSync(join(fixtures, 'run1', file), join(dir, file));
    appendFileSync(join(dir, file), readFileSync(join(fixtures, 'run2', file)));
  }

  it('gives the alerts of auth.log alone, each once', () => {
    const alone = countedIn('web05', 'Europe/Berlin', [join(dir, 'auth.log')]);
    // a burst in each run: brute force twice, and the login after the failures
    expect(alone.filter((a) => a.includes('ssh-brute-force')).length).toBe(4);
    expect(alone.filter((a) => a.includes('ssh-login-after-failures')).length).toBe(2);
    const all = countedIn('web05', 'Europe/Berlin', [dir]);
    expect(all).toEqual(alone);
    expect(all.filter((a) => a.includes('account-brute-force'))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
  }, 60_000);
});

// A responder's evidence often holds one log twice in the same encoding: auth.log as collected today and
// yesterday's collection of it (the same lines, fewer of them), or a backup copy beside it. Each copy counted
// again, as a repeat of its encoding: a directory holding web01's auth.log twice raised account-brute-force
// for three attempts on admin and five on root, and every brute-force alert came twice. A record in two files
// is a copy; its repeats inside one file still count (record-twins.ts).
describe('scan of a directory holding one log twice in one encoding, whole and as an earlier part', () => {
  const fixtures = join(__dirname, '../../fixtures/syslog/encodings-40min');
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-twice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'today'));
  mkdirSync(join(dir, 'yesterday'));
  copyFileSync(join(fixtures, 'run1', 'auth.log'), join(dir, 'today', 'auth.log'));
  appendFileSync(join(dir, 'today', 'auth.log'), readFileSync(join(fixtures, 'run2', 'auth.log')));
  copyFileSync(join(fixtures, 'run1', 'auth.log'), join(dir, 'yesterday', 'auth.log'));

  it('gives the alerts of the whole log alone, each once', () => {
    const alone = countedIn('web05', 'Europe/Berlin', [join(dir, 'today', 'auth.log')]);
    expect(alone.filter((a) => a.includes('ssh-brute-force')).length).toBe(4);
    const all = countedIn('web05', 'Europe/Berlin', [dir]);
    expect(all).toEqual(alone);
    expect(all.filter((a) => a.includes('account-brute-force'))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
  }, 60_000);

  it('web01 with a copy of its auth.log beside the four encodings: the alerts of the directory alone', () => {
    const copy = mkdtempSync(join(tmpdir(), 'tuxwatch-web01-copy-'));
    try {
      cpSync(corpusPath('web01'), join(copy, 'web01'), { recursive: true });
      mkdirSync(join(copy, 'backup'));
      copyFileSync(corpusPath('web01', 'auth.log'), join(copy, 'backup', 'auth.log'));
      const alone = counted('web01', corpusPath('web01'));
      expect(counted('web01', copy)).toEqual(alone);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});

// The generator's scenario on a clock set to New York's repeated hour (2026-11-01 01:20 EST, the second
// pass through 01:00–02:00): auth.log's lines say `Nov  1 01:20:26` and are read as the first pass (EDT,
// an hour early: normalize/time.ts), while the ISO 8601, RFC 5424 and JSON copies carry -05:00. Each failed
// login counted twice (auth.log's copy was not known as a copy an hour away): account-brute-force fired on
// three tries and every brute-force alert came twice; the UID 0 accounts were placed an hour early.
describe('scan of one log in four encodings written in the repeated hour when clocks go back', () => {
  const dir = join(__dirname, '../../fixtures/syslog/dst-repeated-hour');
  const zone = 'America/New_York';
  const actions = readFileSync(join(dir, 'actions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { utc: string; action: string });
  const at = (action: string): string => actions.find((a) => a.action.startsWith(action))!.utc.slice(0, 19);

  it('counts each attempt once: the correlations of the exact copy alone, no account-brute-force', () => {
    const exact = countedIn('nyc-app4', zone, [join(dir, 'auth-rfc5424.log')]);
    expect(exact.filter((a) => a.includes('ssh-brute-force')).length).toBe(2);
    expect(exact.filter((a) => a.includes('ssh-login-after-failures')).length).toBe(1);
    const all = countedIn('nyc-app4', zone, [dir]);
    expect(all).toEqual(exact);
    expect(all.filter((a) => a.includes('account-brute-force'))).toEqual([]);
  }, 60_000);

  it.each([
    ['the directory', [dir]],
    ['auth.log read first', [join(dir, 'auth.log'), join(dir, 'auth-rfc5424.log')]],
  ])(
    'places each UID 0 account at the second it was made, with %s',
    (_, paths) => {
      const run = tuxwatch([
        'scan',
        '--format',
        'ndjson',
        '--host',
        'nyc-app4',
        '--timezone',
        zone,
        ...paths,
      ]);
      expect(run.status, run.stderr).toBe(0);
      const uid0 = ndjson<AlertDoc & { event: { timezone?: string } }>(run.stdout).filter(
        (a) => a.rule.id === 'new-uid0-account',
      );
      expect(uid0.map((a) => [a['@timestamp'].slice(0, 19), a.user?.name])).toEqual([
        [at('useradd UID0'), 'rootkit2'],
        [at('usermod -o -u 0'), 'webops'],
      ]);
      // each is one alert from both files, its time the exact copy's, not read in an assumed zone
      for (const a of uid0) {
        expect(a.tuxwatch.alert.count).toBeGreaterThanOrEqual(2);
        expect(a.event.timezone).toBeUndefined();
      }
    },
    60_000,
  );
});
