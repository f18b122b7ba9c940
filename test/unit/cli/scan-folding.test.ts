import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user?: { target?: { name?: string } };
  event: { id: string; start: string; end: string; original: string };
  tuxwatch: { alert: { count: number } };
}

const encodings = ['auth.log', 'auth-iso8601.log', 'auth-rfc5424.log', 'all-rsyslog.jsonl'].map((f) =>
  corpusPath('web01', f),
);
const uid0 = (args: string[]) =>
  ndjson<AlertDoc>(
    tuxwatch(['scan', '--format', 'ndjson', '--timezone', 'Europe/Berlin', ...args]).stdout,
  ).filter((a) => a.rule.id === 'new-uid0-account');

describe('repeats of a finding inside the suppression window fold into one alert with a count', () => {
  it('the same account creation seen in four encodings is one alert, counted four times', () => {
    const alerts = uid0(encodings);
    expect(alerts.map((a) => [a.user?.target?.name, a.tuxwatch.alert.count]).sort()).toEqual([
      ['tmpadmin', 4],
      ['toor', 4],
    ]);
    const toor = alerts.find((a) => a.user?.target?.name === 'toor')!;
    // the first occurrence opens the alert: its time and raw record; the last one moves event.end
    expect(toor.event.original).toContain('name=toor');
    expect(toor.event.start).toBe(toor['@timestamp']);
    expect(Date.parse(toor.event.end)).toBeGreaterThanOrEqual(Date.parse(toor.event.start));
  });

  it('the folded alert has the same id whichever evidence showed it first: scan and serve agree on it', () => {
    const alone = uid0([corpusPath('web01', 'auth.log')]);
    const all = uid0([...encodings].reverse());
    const id = (list: AlertDoc[], name: string) => list.find((a) => a.user?.target?.name === name)!.event.id;
    expect(id(all, 'toor')).toBe(id(alone, 'toor'));
    expect(id(all, 'tmpadmin')).toBe(id(alone, 'tmpadmin'));
    expect(id(all, 'toor')).not.toBe(id(all, 'tmpadmin'));
  });

  it('--suppress-window 0 turns folding off: one alert per occurrence', () => {
    expect(uid0(['--suppress-window', '0', ...encodings])).toHaveLength(8);
  });

  it('a bad duration is bad usage', () => {
    const run = tuxwatch(['scan', '--suppress-window', 'soon', '-'], '');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--suppress-window/);
  });
});
