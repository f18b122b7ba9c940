import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
