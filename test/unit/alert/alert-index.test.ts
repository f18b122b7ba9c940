import { describe, expect, it } from 'vitest';
import { buildAlert, PLAUSIBLE_PAST_MS, plausibleEventTime } from '../../../src/alert/build-alert';
import type { Detection, RuleMeta } from '../../../src/domain/rule';

const rule: RuleMeta = {
  id: 'new-uid0-account',
  uuid: '6f0b1d2e-8c4a-4e57-9a51-0e2f3b7c9d10',
  title: 'New account with UID 0',
  level: 'critical',
  tags: [],
  file: 'detections/new-uid0-account.yml',
};
const CREATED = new Date('2026-11-27T12:00:00.000Z');
const at = (timestamp: string): Detection => ({
  rule,
  event: { '@timestamp': timestamp, 'event.original': `useradd at ${timestamp}`, 'host.name': 'web01' },
});

describe('K07: alert indices are named from plausible event times only', () => {
  it.each([
    ['this month', '2026-11-26T09:11:17.000Z', 'tuxwatch-alerts-2026.11'],
    ['last year', '2025-12-31T23:59:59.000Z', 'tuxwatch-alerts-2025.12'],
    ['nine years back', '2017-12-01T00:00:00.000Z', 'tuxwatch-alerts-2017.12'],
    ['a few hours ahead (clock skew)', '2026-11-28T02:00:00.000Z', 'tuxwatch-alerts-2026.11'],
  ])('%s: the event month', (_name, timestamp, index) => {
    const alert = buildAlert(at(timestamp), CREATED);
    expect(alert.index).toBe(index);
    expect(alert.fields['tuxwatch.event.time_out_of_range']).toBeUndefined();
  });

  it.each([
    ['year 1003', '1003-01-02T10:00:00.000Z'],
    ['year 0001', '0001-01-01T00:00:00.000Z'],
    ['eleven years back', '2015-11-01T00:00:00.000Z'],
    ['two days ahead', '2026-11-29T13:00:00.000Z'],
    ['year 9999', '9999-12-31T23:59:59.000Z'],
  ])('%s: the current month, with the time kept and flagged', (_name, timestamp) => {
    const alert = buildAlert(at(timestamp), CREATED);
    expect(alert.index).toBe('tuxwatch-alerts-2026.11');
    expect(alert.fields['@timestamp']).toBe(timestamp);
    expect(alert.fields['tuxwatch.event.time_out_of_range']).toBe(true);
  });

  it('however many forged years arrive, they make one index (per month of processing)', () => {
    const indices = new Set<string>();
    for (let year = 1000; year < 10_000; year += 7)
      indices.add(buildAlert(at(`${String(year).padStart(4, '0')}-06-01T00:00:00.000Z`), CREATED).index);
    // the years of the window (2017-2026) still name their months; every other year shares the current one
    expect(indices.size).toBeLessThanOrEqual(3);
  });

  it('the window: ten years back, a day ahead', () => {
    expect(plausibleEventTime(new Date(CREATED.getTime() - PLAUSIBLE_PAST_MS).toISOString(), CREATED)).toBe(
      true,
    );
    expect(
      plausibleEventTime(new Date(CREATED.getTime() - PLAUSIBLE_PAST_MS - 1).toISOString(), CREATED),
    ).toBe(false);
    expect(plausibleEventTime('not a time', CREATED)).toBe(false);
  });
});
