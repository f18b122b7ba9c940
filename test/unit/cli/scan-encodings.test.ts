import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
