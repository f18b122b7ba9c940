import { describe, expect, it } from 'vitest';
import { AuthActivity } from '../../../src/enrich/auth-activity';
import type { SiemEvent } from '../../../src/domain/event';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

const MIN = 60_000;
/** Real web01 auth-log events (and its non-auth syslog lines). */
function events(file: string): SiemEvent[] {
  return corpusLines('web01', file).flatMap((text, i) => {
    const r = parseRecord(
      { text, origin: { type: 'file', path: file, line: i } },
      { timezone: 'Europe/Berlin', maxRecordBytes: 1 << 20 },
      new Date('2026-11-26T09:00:00Z'),
    );
    return r.ok ? [...r.events] : [];
  });
}

describe('auth-log silence per host', () => {
  it('reports a host once when its auth log stays quiet past the threshold, and again only after it spoke', () => {
    const activity = new AuthActivity(60 * MIN);
    const t0 = Date.parse('2026-11-26T09:00:00Z');
    activity.observe(events('auth.log'), t0);
    expect(activity.silentHosts(t0 + 59 * MIN)).toEqual([]);
    const [silent, ...more] = activity.silentHosts(t0 + 61 * MIN);
    expect(more).toEqual([]);
    expect(silent).toMatchObject({
      'host.name': 'web01',
      'event.dataset': 'health',
      'event.action': 'auth-log-silent',
      'tuxwatch.silence.minutes': 61,
      'tuxwatch.silence.last_event': '2026-11-26T08:11:17.000Z',
    });
    expect(activity.silentHosts(t0 + 120 * MIN)).toEqual([]);
    activity.observe(events('auth.log').slice(-1), t0 + 121 * MIN);
    expect(activity.silentHosts(t0 + 150 * MIN)).toEqual([]);
    expect(activity.silentHosts(t0 + 182 * MIN)).toHaveLength(1);
  });

  it('non-auth records do not count as the auth log speaking; 0 turns the check off', () => {
    const activity = new AuthActivity(60 * MIN);
    activity.observe(events('syslog'), 0);
    expect(activity.silentHosts(600 * MIN)).toEqual([]);
    const off = new AuthActivity(0);
    off.observe(events('auth.log'), 0);
    expect(off.silentHosts(600 * MIN)).toEqual([]);
  });
});
