import { describe, expect, it } from 'vitest';
import { timestampToUtc, wallClockToUtc } from '../../../src/normalize/time';

const at = (iso: string): Date => new Date(iso);

describe('wall-clock times without offset', () => {
  it('Asia/Kolkata is +05:30', () => {
    expect(
      wallClockToUtc(
        { year: 2026, month: 3, day: 1, hour: 10, minute: 0, second: 0 },
        'Asia/Kolkata',
        at('2026-03-02T00:00:00Z'),
      ),
    ).toBe('2026-03-01T04:30:00.000Z');
  });

  it('America/New_York before and after the spring change (EST -5, EDT -4)', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(
      wallClockToUtc(
        { year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 59 },
        'America/New_York',
        now,
      ),
    ).toBe('2026-03-08T06:59:59.000Z');
    expect(
      wallClockToUtc(
        { year: 2026, month: 3, day: 8, hour: 3, minute: 0, second: 0 },
        'America/New_York',
        now,
      ),
    ).toBe('2026-03-08T07:00:00.000Z');
  });

  it('the skipped hour of the spring change moves forward by the gap, the same way every time', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(
      wallClockToUtc(
        { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 },
        'America/New_York',
        now,
      ),
    ).toBe('2026-03-08T07:30:00.000Z');
  });

  it('the repeated hour of the autumn change resolves to its first pass (EDT)', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(
      wallClockToUtc(
        { year: 2026, month: 11, day: 1, hour: 1, minute: 30, second: 0 },
        'America/New_York',
        now,
      ),
    ).toBe('2026-11-01T05:30:00.000Z');
    expect(
      wallClockToUtc(
        { year: 2026, month: 11, day: 1, hour: 2, minute: 0, second: 0 },
        'America/New_York',
        now,
      ),
    ).toBe('2026-11-01T07:00:00.000Z');
  });

  it('a log running from 31 Dec into 1 Jan, read on 1 Jan, keeps December in the previous year', () => {
    const now = at('2027-01-01T00:30:00Z');
    const dec = wallClockToUtc(
      { month: 12, day: 31, hour: 23, minute: 59, second: 58 },
      'Europe/Berlin',
      now,
    );
    const jan = wallClockToUtc({ month: 1, day: 1, hour: 1, minute: 0, second: 1 }, 'Europe/Berlin', now);
    expect(dec).toBe('2026-12-31T22:59:58.000Z');
    expect(jan).toBe('2027-01-01T00:00:01.000Z');
    expect(Date.parse(jan!)).toBeGreaterThan(Date.parse(dec!));
  });

  it('an explicit year wins over inference', () => {
    expect(
      wallClockToUtc(
        { month: 12, day: 31, hour: 0, minute: 0, second: 0 },
        'UTC',
        at('2027-01-01T00:00:00Z'),
        2020,
      ),
    ).toBe('2020-12-31T00:00:00.000Z');
  });

  it('an impossible date is undefined, not a guess', () => {
    expect(
      wallClockToUtc(
        { year: 2026, month: 2, day: 30, hour: 0, minute: 0, second: 0 },
        'UTC',
        at('2026-03-01T00:00:00Z'),
      ),
    ).toBeUndefined();
    // a day whose offset is known for every minute still has no 25th hour or 60th minute
    const berlin = (hour: number, minute: number) =>
      wallClockToUtc(
        { year: 2026, month: 11, day: 26, hour, minute, second: 0 },
        'Europe/Berlin',
        at('2026-11-27T00:00:00Z'),
      );
    expect(berlin(9, 10)).toBe('2026-11-26T08:10:00.000Z');
    expect(berlin(24, 0)).toBeUndefined();
    expect(berlin(9, 60)).toBeUndefined();
  });

  it('a DST day keeps minute precision around its transition, other days share one offset', () => {
    const berlin = (day: number, hour: number, minute: number) =>
      wallClockToUtc(
        { year: 2026, month: 3, day, hour, minute, second: 0 },
        'Europe/Berlin',
        at('2026-04-01T00:00:00Z'),
      );
    expect(berlin(29, 1, 59)).toBe('2026-03-29T00:59:00.000Z');
    expect(berlin(29, 3, 0)).toBe('2026-03-29T01:00:00.000Z');
    expect(berlin(28, 23, 59)).toBe('2026-03-28T22:59:00.000Z');
    expect(berlin(30, 0, 0)).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('timestamps with their own offset', () => {
  it.each([
    ['2026-11-26T09:10:47.928590+01:00', '2026-11-26T08:10:47.928Z'],
    ['2026-11-26T09:10:47Z', '2026-11-26T09:10:47.000Z'],
    ['2026-11-26 09:11:19 +0100', '2026-11-26T08:11:19.000Z'],
    ['2026-11-26T09:10:47+05:30', '2026-11-26T03:40:47.000Z'],
    ['2026-11-26T09:10:47-0700', '2026-11-26T16:10:47.000Z'],
  ])('%s -> %s whatever the configured zone', (input, expected) => {
    expect(timestampToUtc(input, 'Asia/Tokyo')).toBe(expected);
  });

  it('without an offset the configured zone applies', () => {
    expect(timestampToUtc('2026-11-26T09:10:47', 'Asia/Kolkata')).toBe('2026-11-26T03:40:47.000Z');
  });

  it('rejects what is not a timestamp', () => {
    expect(timestampToUtc('yesterday', 'UTC')).toBeUndefined();
  });

  it.each(['+99:99', '+24:00', '-23:60', '+0960'])(
    'S09: an offset past RFC 3339 (%s) is no offset: the record is refused, not moved by days',
    (offset) => expect(timestampToUtc(`2026-11-26T09:11:17${offset}`, 'UTC')).toBeUndefined(),
  );

  it.each([
    ['+14:00', '2026-11-25T19:11:17.000Z'],
    ['-23:59', '2026-11-27T09:10:17.000Z'],
    ['+0545', '2026-11-26T03:26:17.000Z'],
  ])('an offset within RFC 3339 (%s) is kept', (offset, utc) =>
    expect(timestampToUtc(`2026-11-26T09:11:17${offset}`, 'UTC')).toBe(utc),
  );
});

describe('remembered answers (per day, per zone, the last second)', () => {
  it('interleaved zones, days, a change day and repeated seconds each get their own instant', () => {
    const now = at('2026-12-01T00:00:00Z');
    const wall = (month: number, day: number, hour: number, second = 0) => ({
      month,
      day,
      hour,
      minute: 30,
      second,
    });
    // the same wall time, asked again and again in turn: Berlin winter, Berlin summer, New York, Berlin's
    // change day (2026-03-29, 02:30 does not exist and moves forward), an impossible date, Kolkata
    const cases: [ReturnType<typeof wall>, string, string | undefined][] = [
      [wall(1, 15, 10), 'Europe/Berlin', '2026-01-15T09:30:00.000Z'],
      [wall(7, 15, 10), 'Europe/Berlin', '2026-07-15T08:30:00.000Z'],
      [wall(7, 15, 10), 'America/New_York', '2026-07-15T14:30:00.000Z'],
      [wall(3, 29, 1), 'Europe/Berlin', '2026-03-29T00:30:00.000Z'],
      [wall(3, 29, 3), 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
      [wall(2, 30, 10), 'Europe/Berlin', undefined],
      [wall(1, 15, 10, 1), 'Asia/Kolkata', '2026-01-15T05:00:01.000Z'],
    ];
    for (let round = 0; round < 3; round++)
      for (const [w, zone, expected] of cases) expect(wallClockToUtc(w, zone, now)).toBe(expected);
  });
});
