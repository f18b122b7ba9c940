import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath, web01Actions } from '../../support/corpus';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string; uuid: string; name: string };
  user: { name: string; target: { name: string; id: string } };
  host: { name: string };
  event: { kind: string; severity: number; id: string; original: string; created: string };
  tuxwatch: { severity: string };
  threat: { technique: { id: string[] } };
}

/** UTC time of the actions.jsonl entry whose text contains `fragment`. */
const actionTime = (fragment: string): number =>
  Date.parse(web01Actions().find((a) => a.action.includes(fragment))!.utc);

function uid0Alerts(args: string[]): AlertDoc[] {
  const run = tuxwatch(['scan', '--format', 'ndjson', ...args]);
  expect(run.status, run.stderr).toBe(0);
  return ndjson<AlertDoc>(run.stdout).filter((a) => a.rule.id === 'new-uid0-account');
}

describe('scan finds the two UID 0 accounts of web01 in every encoding, on their true UTC second', () => {
  it.each([
    ['auth.log', ['--timezone', 'Europe/Berlin']],
    ['auth-rfc5424.log', []],
    ['auth-iso8601.log', []],
    ['all-rsyslog.jsonl', []],
  ])('%s %s', (file, extra) => {
    const alerts = uid0Alerts([...extra, corpusPath('web01', file)]);
    expect(alerts.map((a) => a.user.target.name).sort()).toEqual(['tmpadmin', 'toor']);
    const toor = alerts.find((a) => a.user.target.name === 'toor')!;
    const tmpadmin = alerts.find((a) => a.user.target.name === 'tmpadmin')!;
    expect(Math.abs(Date.parse(toor['@timestamp']) - actionTime('useradd UID0 toor'))).toBeLessThanOrEqual(
      1000,
    );
    expect(
      Math.abs(Date.parse(tmpadmin['@timestamp']) - actionTime('usermod -o -u 0 tmpadmin')),
    ).toBeLessThanOrEqual(1000);
    for (const a of alerts) {
      expect(a['@timestamp']).toMatch(/Z$/);
      expect(a).toMatchObject({
        host: { name: 'web01' },
        event: { kind: 'alert', severity: 99 },
        tuxwatch: { severity: 'critical' },
        rule: {
          id: 'new-uid0-account',
          uuid: '6f0b1d2e-8c4a-4e57-9a51-0e2f3b7c9d10',
          name: 'New account with UID 0',
        },
        user: { target: { id: '0' } },
      });
      expect(a.threat.technique.id).toContain('T1136');
      expect(a.event.id).toMatch(/^[0-9a-f]{40}$/);
      expect(a.event.original).toContain(a.user.target.name);
    }
  });

  it('the same evidence gives the same alert ids on every run', () => {
    const ids = () =>
      uid0Alerts(['--timezone', 'Europe/Berlin', corpusPath('web01', 'auth.log')]).map((a) => a.event.id);
    expect(ids()).toEqual(ids());
  });

  it('without --timezone a traditional log is read as UTC, one hour off for Berlin — the flag matters', () => {
    const [toor] = uid0Alerts([corpusPath('web01', 'auth.log')]).filter((a) => a.user.target.name === 'toor');
    expect(Date.parse(toor!['@timestamp']) - actionTime('useradd UID0 toor')).toBeGreaterThan(3_000_000);
  });

  it('no UID 0 alert on the loghub production logs', () => {
    expect(uid0Alerts([corpusPath('loghub')])).toEqual([]);
  });

  it('stdin works as an input', () => {
    const run = tuxwatch(
      ['scan', '--timezone', 'Europe/Berlin', '-'],
      readFileSync(corpusPath('web01', 'auth.log'), 'utf8'),
    );
    expect(run.status).toBe(0);
    expect(ndjson<AlertDoc>(run.stdout).filter((a) => a.rule.id === 'new-uid0-account')).toHaveLength(2);
  });
});
