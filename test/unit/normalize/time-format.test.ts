import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wallClockToUtc } from '../../../src/normalize/time';

const now = new Date('2026-11-27T12:00:00Z');

/** The wall clock of an instant read in UTC, with its year given. */
const wallOf = (d: Date) => ({
  year: d.getUTCFullYear(),
  month: d.getUTCMonth() + 1,
  day: d.getUTCDate(),
  hour: d.getUTCHours(),
  minute: d.getUTCMinutes(),
  second: d.getUTCSeconds(),
  millisecond: d.getUTCMilliseconds(),
});

describe('UTC text of wall-clock times', () => {
  it('is what toISOString writes, for instants in any order (the per-minute formatting is only a cache)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (d) => {
          expect(wallClockToUtc(wallOf(d), 'UTC', now)).toBe(d.toISOString());
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('is the instant itself for a yearless time of the past eleven months, in UTC and in a zone with DST', () => {
    const from = now.getTime() - 330 * 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: from, max: now.getTime() }), (ms) => {
        const d = new Date(ms);
        const { year: _year, ...yearless } = wallOf(d);
        expect(wallClockToUtc(yearless, 'UTC', now)).toBe(d.toISOString());
        // Berlin's wall clock of the same instant (an hour or two ahead): the repeated hour in October reads
        // as its first pass, so only instants outside that hour come back unchanged
        const berlin = new Date(ms + (isBerlinSummer(d) ? 7_200_000 : 3_600_000));
        const back = wallClockToUtc({ ...wallOf(berlin), year: undefined }, 'Europe/Berlin', now);
        if (!inRepeatedHour(d)) expect(back).toBe(d.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('is what toISOString writes at the ends of its range, for years of six digits and before year 0', () => {
    for (const iso of [
      '+275760-09-13T00:00:00.000Z',
      '+012345-06-07T08:09:10.011Z',
      '0000-01-01T00:00:00.000Z',
      '-000001-12-31T23:59:59.999Z',
      '-271821-04-20T00:00:00.000Z',
      '1969-12-31T23:59:59.000Z',
    ])
      expect(wallClockToUtc(wallOf(new Date(iso)), 'UTC', now)).toBe(iso);
  });

  it('is right for consecutive instants that share a minute, a second or nothing', () => {
    const start = Date.UTC(2026, 10, 26, 8, 10, 58, 990);
    for (let ms = start; ms < start + 3_000; ms += 7) {
      const d = new Date(ms);
      expect(wallClockToUtc(wallOf(d), 'UTC', now)).toBe(d.toISOString());
      expect(wallClockToUtc(wallOf(d), 'UTC', now)).toBe(d.toISOString());
    }
  });
});

/** EU summer time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
function isBerlinSummer(d: Date): boolean {
  const y = d.getUTCFullYear();
  return d.getTime() >= lastSundayUtc(y, 2) && d.getTime() < lastSundayUtc(y, 9);
}

/** The second pass through 02:00-03:00 Berlin time, the hour after the clocks go back. */
function inRepeatedHour(d: Date): boolean {
  const end = lastSundayUtc(d.getUTCFullYear(), 9);
  return d.getTime() >= end && d.getTime() < end + 3_600_000;
}

/** 01:00 UTC on the last Sunday of a month (0-based). */
function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}

describe('UTC text of the seconds of one minute', () => {
  it('changes year within the minute where a yearless time becomes more than a day ahead', () => {
    // read at 12:00:30: 28 Nov 12:00:30 is exactly a day ahead (this year), 12:00:31 is past it (last year)
    const reading = new Date('2026-11-27T12:00:30Z');
    for (const round of [1, 2])
      for (let second = 0; second < 60; second++) {
        const year = second <= 30 ? 2026 : 2025;
        const expected = `${year}-11-28T12:00:${String(second).padStart(2, '0')}.000Z`;
        const wall = { month: 11, day: 28, hour: 12, minute: 0, second };
        expect(wallClockToUtc(wall, 'UTC', reading), `round ${round}`).toBe(expected);
      }
  });

  it('keeps each second of a minute on its side of a clock change, asked in any order', () => {
    // New York, 2026-11-01: 01:00-01:59 happens twice (EDT, then EST); the wall minute reads as its first pass
    const reading = new Date('2026-11-27T12:00:00Z');
    const seconds = [0, 59, 30, 1, 58, 0];
    for (const second of seconds) {
      const wall = { month: 11, day: 1, hour: 1, minute: 59, second };
      const expected = `2026-11-01T05:59:${String(second).padStart(2, '0')}.000Z`;
      expect(wallClockToUtc(wall, 'America/New_York', reading)).toBe(expected);
      // the minute after the repeated hour is EST again
      const after = { month: 11, day: 1, hour: 2, minute: 0, second };
      expect(wallClockToUtc(after, 'America/New_York', reading)).toBe(
        `2026-11-01T07:00:${String(second).padStart(2, '0')}.000Z`,
      );
    }
  });
});
