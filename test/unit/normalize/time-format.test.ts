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

  it('is right for consecutive instants that share a minute, a second or nothing', () => {
    const start = Date.UTC(2026, 10, 26, 8, 10, 58, 990);
    for (let ms = start; ms < start + 3_000; ms += 7) {
      const d = new Date(ms);
      expect(wallClockToUtc(wallOf(d), 'UTC', now)).toBe(d.toISOString());
      expect(wallClockToUtc(wallOf(d), 'UTC', now)).toBe(d.toISOString());
    }
  });
});
