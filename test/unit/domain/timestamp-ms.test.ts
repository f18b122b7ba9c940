import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timestampMs } from '../../../src/domain/event';

describe('timestampMs: Date.parse, read directly for the shape parsers write', () => {
  it('agrees with Date.parse on that shape, every field in range or not', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
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
