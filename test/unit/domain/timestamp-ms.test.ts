import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quarterHourSecond, timestampMs } from '../../../src/domain/event';

describe('timestampMs: Date.parse, read directly for the shape parsers write', () => {
  it('agrees with Date.parse on that shape, every field in range or not', () => {
    // each field mostly in its range, sometimes any digits: one field out of range at a time is the case
    const field = (width: number, low: number, high: number) =>
      fc
        .oneof(
          { arbitrary: fc.integer({ min: low, max: high }), weight: 6 },
          { arbitrary: fc.integer({ min: 0, max: 10 ** width - 1 }), weight: 1 },
        )
        .map((v) => String(v).padStart(width, '0'));
    const shaped = fc
      .tuple(
        field(4, 1000, 9999),
        field(2, 1, 12),
        field(2, 1, 31),
        field(2, 0, 23),
        field(2, 0, 59),
        field(2, 0, 59),
        field(3, 0, 999),
      )
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    const valid = fc
      .date({
        min: new Date(Date.UTC(1000, 0, 1)),
        max: new Date(Date.UTC(9999, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(shaped, valid), (t) => {
        expect(Object.is(timestampMs(t), Date.parse(t))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves every other text to Date.parse', () => {
    for (const t of [
      '2026-02-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '0099-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000+01:00',
      '+002026-01-01T00:00:00.000Z',
      '2026-01-01 00:00:00.000Z',
      '2026-01-01T00:00:00.0a0Z',
      '',
      'yesterday',
    ])
      expect(Object.is(timestampMs(t), Date.parse(t))).toBe(true);
  });
});

describe('quarterHourSecond', () => {
  it('is the second within the quarter hour, 0–899, before 1970 too', () => {
    expect(quarterHourSecond(Date.parse('2026-11-01T06:20:26.612Z'))).toBe(5 * 60 + 26);
    expect(quarterHourSecond(Date.parse('2026-11-01T06:14:59.999Z'))).toBe(899);
    expect(quarterHourSecond(Date.parse('1969-12-31T23:59:59.000Z'))).toBe(899);
    expect(quarterHourSecond(0)).toBe(0);
  });

  it('is the same for one wall clock read in any zone, either pass of a repeated hour, or another year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }),
        // offsets of real zones are whole quarter hours, -12:00 to +14:00; a year is 365 or 366 days
        fc.integer({ min: -48, max: 56 }),
        fc.integer({ min: -3, max: 3 }),
        fc.boolean(),
        (ms, quarters, years, leap) => {
          const shifted = ms + quarters * 900_000 + years * (leap ? 366 : 365) * 86_400_000;
          expect(quarterHourSecond(shifted)).toBe(quarterHourSecond(ms));
        },
      ),
    );
  });
});
