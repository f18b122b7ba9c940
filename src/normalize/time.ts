import { DateTime, IANAZone } from 'luxon';

/** Wall-clock fields as a log line writes them; `year` may be missing (RFC 3164). */
export interface WallClock {
  readonly year?: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Zone names are few and repeat on every record (a header, a setting): their validity is remembered. */
const zoneValidity = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone) || zone === 'UTC';
    if (zoneValidity.size >= 10_000) zoneValidity.clear();
    zoneValidity.set(zone, valid);
  }
  return valid;
}

/**
 * Converts a wall-clock time in `zone` to UTC ISO 8601 (`…Z`).
 *
 * Year: the given one, else the record's `year` hint, else inferred the way CONTRACT §1 says — the current
 * year, or the previous one when that would put the event more than a day in the future (a December line
 * read in January). Ambiguous times (the repeated hour when clocks go back) resolve to the earlier instant,
 * the first pass through that hour (luxon alone would pick the later one); times in the
 * skipped hour move forward by the gap. Both are deterministic: the same line always gives the same instant.
 */
export function wallClockToUtc(
  wall: WallClock,
  zone: string,
  now: Date,
  forcedYear?: number,
): string | undefined {
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59 || (wall.millisecond ?? 0) > 999)
    return undefined;
  const millisecond = wall.millisecond ?? 0;
  const given = wall.year ?? forcedYear;
  const minute = sameMinute(wall, zone, now, given);
  if (minute !== undefined && Number.isInteger(wall.second) && Number.isInteger(millisecond))
    return isoOf(minute + wall.second * 1000 + millisecond);
  let utc: number | undefined;
  if (given !== undefined) utc = wallToMillis(given, wall, millisecond, zone);
  else {
    // inferring the year computed the instant of the whole second: whole milliseconds only add to it
    const inferred = inferYear(wall, zone, now);
    utc =
      inferred.second !== undefined && Number.isInteger(millisecond)
        ? inferred.second + millisecond
        : wallToMillis(inferred.year, wall, millisecond, zone);
  }
  return utc === undefined ? undefined : isoOf(utc);
}

/**
 * The last wall-clock minute converted, for the lines after it: log lines come in runs from the same minute,
 * and the instant of the minute's first second, plus the seconds, is the instant of every line in it. That
 * holds because a zone's offset is the same for a whole minute (see below) and the year is the same for all
 * of it: the inferred year is only kept when even the minute's last instant is not more than a day ahead.
 */
const lastMinute = {
  zone: '',
  now: Number.NaN,
  given: undefined as number | undefined,
  month: Number.NaN,
  day: Number.NaN,
  hour: Number.NaN,
  minute: Number.NaN,
  /** the instant of second 0 of the minute */
  start: 0,
};

/** The instant of second 0 of `wall`'s minute, when every second of it converts that way; else undefined. */
function sameMinute(wall: WallClock, zone: string, now: Date, given: number | undefined): number | undefined {
  const l = lastMinute;
  const nowMs = now.getTime();
  if (
    l.minute === wall.minute &&
    l.hour === wall.hour &&
    l.day === wall.day &&
    l.month === wall.month &&
    l.now === nowMs &&
    l.given === given &&
    l.zone === zone
  )
    return l.start;
  // a yearless 29 February has a year of its own (inferYear); whole numbers only, as Date.UTC would round
  if (given === undefined && wall.month === 2 && wall.day === 29) return undefined;
  if (!Number.isInteger(given ?? 0) || !Number.isInteger(wall.minute)) return undefined;
  const first = { ...wall, second: 0 };
  const year = given ?? yearAt(zone, now);
  const start = wallToMillis(year, first, 0, zone);
  if (start === undefined || Math.abs(start) > MAX_DATE_MS - 60_000) return undefined;
  if (given === undefined && start + 59_999 - nowMs > DAY_MS) return undefined;
  lastMinute.zone = zone;
  lastMinute.now = nowMs;
  lastMinute.given = given;
  lastMinute.month = wall.month;
  lastMinute.day = wall.day;
  lastMinute.hour = wall.hour;
  lastMinute.minute = wall.minute;
  lastMinute.start = start;
  return start;
}

/**
 * Zone arithmetic is luxon's (Intl underneath), and Intl is slow: asking it once per log line costs more than
 * parsing the line. A zone's offset is the same for every second of a wall-clock minute (transitions fall on
 * whole minutes), so the answer is kept per (zone, year, month, day, hour, minute) — and per day, for the
 * days (all but a handful a year) whose first and last minute have the same offset: no transition falls
 * between them, since no zone changes its offset twice in one day.
 */
const minuteShift = new Map<string, number>();
const dayShift = new Map<string, number | null>();
const yearInZone = new Map<string, number>();
const CACHE_LIMIT = 100_000;

function remember<T>(cache: Map<string, T>, key: string, compute: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/**
 * The day shifts again, per zone under a numeric day key, and the last answers, compared field by field:
 * building the string keys above for every line cost more than all the arithmetic around them. A log's lines
 * come from a few days (and interleaved sources alternate between them), one reading time, and often the same
 * second. Each thread has its own; they only ever hold answers the caches above gave.
 */
const dayShiftByZone = new Map<string, Map<number, number | null>>();
const last = {
  year: { zone: '', minute: Number.NaN, year: 0 },
  iso: { utc: Number.NaN, text: '' },
  /** `2026-11-26T08:10:` of the last minute formatted */
  minute: { minute: Number.NaN, prefix: '' },
  /** `2026-11-26T` of the last day formatted */
  day: { day: Number.NaN, prefix: '' },
};

/** The zone's shift for every minute of the day, or null when it changes that day (or the day is not one). */
function uniformDayShift(year: number, wall: WallClock, zone: string): number | null {
  if (!dayKeyed(year, wall)) return computeDayShift(year, wall, zone);
  let days = dayShiftByZone.get(zone);
  if (days === undefined) {
    if (dayShiftByZone.size >= 1_000) dayShiftByZone.clear();
    days = new Map();
    dayShiftByZone.set(zone, days);
  }
  const key = (year * 100 + wall.month) * 1000 + wall.day;
  let shift = days.get(key);
  if (shift === undefined) {
    shift = computeDayShift(year, wall, zone);
    if (days.size >= CACHE_LIMIT) days.clear();
    days.set(key, shift);
  }
  return shift;
}

function computeDayShift(year: number, wall: WallClock, zone: string): number | null {
  return remember(dayShift, `${zone}|${year}|${wall.month}|${wall.day}`, () => {
    const first = shiftAt(year, { ...wall, hour: 0, minute: 0 }, zone);
    const lastMinute = shiftAt(year, { ...wall, hour: 23, minute: 59 }, zone);
    return !Number.isNaN(first) && first === lastMinute ? first : null;
  });
}

/** Whether (year, month, day) has a numeric key no other triple shares: whole numbers in small ranges. */
const dayKeyed = (year: number, wall: WallClock): boolean =>
  Number.isInteger(year) &&
  Math.abs(year) < 1_000_000 &&
  Number.isInteger(wall.month) &&
  Number.isInteger(wall.day) &&
  wall.month >= 0 &&
  wall.month < 100 &&
  wall.day >= 0 &&
  wall.day < 1000;

/** The wall minute read as if it were UTC, minus the instant it really is: the zone's shift at that minute. */
function shiftAt(year: number, wall: WallClock, zone: string): number {
  const key = `${zone}|${year}|${wall.month}|${wall.day}|${wall.hour}|${wall.minute}`;
  return remember(minuteShift, key, () => {
    const dt = DateTime.fromObject(
      { year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute },
      { zone },
    );
    if (!dt.isValid) return Number.NaN;
    // getPossibleOffsets lists both readings of an ambiguous time; the earliest is the first pass.
    const earliest = dt.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), dt);
    return Date.UTC(year, wall.month - 1, wall.day, wall.hour, wall.minute) - earliest.toMillis();
  });
}

/** UTC epoch ms of a wall-clock time in `zone`, or undefined for an impossible date. */
function wallToMillis(year: number, wall: WallClock, millisecond: number, zone: string): number | undefined {
  const shift = uniformDayShift(year, wall, zone) ?? shiftAt(year, wall, zone);
  if (Number.isNaN(shift)) return undefined;
  const asUtc = Date.UTC(year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, millisecond);
  return asUtc - shift;
}

/**
 * ISO 8601 of an instant, as toISOString writes it. The same instant on consecutive lines is formatted once;
 * Date formats the minute (interleaved sources alternate seconds, rarely minutes), the seconds and
 * milliseconds are appended.
 */
function isoOf(utc: number): string {
  if (last.iso.utc === utc) return last.iso.text;
  const text =
    Number.isInteger(utc) && Math.abs(utc) <= MAX_DATE_MS ? withinMinute(utc) : new Date(utc).toISOString();
  last.iso = { utc, text };
  return text;
}

/** Date's range: ±100,000,000 days from 1970 (ECMA-262 Time Values) */
const MAX_DATE_MS = 8.64e15;

function withinMinute(utc: number): string {
  const minute = Math.floor(utc / 60_000);
  if (last.minute.minute !== minute) last.minute = { minute, prefix: minutePrefix(minute) };
  const ms = utc - minute * 60_000;
  return last.minute.prefix + SECONDS[Math.floor(ms / 1000)]! + MILLISECONDS[ms % 1000]!;
}

/**
 * `2026-11-26T08:10:` of a minute (since the epoch). Lines of a log move from minute to minute far more often
 * than from day to day: Date formats the day, the hour and minute come from a table.
 */
function minutePrefix(minute: number): string {
  const day = Math.floor(minute / 1440);
  if (last.day.day !== day) {
    // `…T00:00:00.000Z` less `00:00:00.000Z`
    last.day = { day, prefix: new Date(day * DAY_MS).toISOString().slice(0, -13) };
  }
  const inDay = minute - day * 1440;
  return `${last.day.prefix}${TWO_DIGITS[Math.floor(inDay / 60)]!}:${TWO_DIGITS[inDay % 60]!}:`;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

/** `00.` … `59.` and `000Z` … `999Z`: the tail of every timestamp, written once rather than per line */
const SECONDS = Array.from({ length: 60 }, (_, s) => `${String(s).padStart(2, '0')}.`);
const MILLISECONDS = Array.from({ length: 1000 }, (_, ms) => `${String(ms).padStart(3, '0')}Z`);

/** The year of a yearless wall-clock time, and the instant of its whole second in that year when it exists. */
function inferYear(wall: WallClock, zone: string, now: Date): { year: number; second?: number } {
  const current = yearAt(zone, now);
  // A yearless `Feb 29` can only come from a leap year: the latest one that is not in the future.
  let year = wall.month === 2 && wall.day === 29 ? lastLeapYear(current) : current;
  const candidate = wallToMillis(year, wall, 0, zone);
  if (candidate === undefined || candidate - now.getTime() <= DAY_MS) return { year, second: candidate };
  year = wall.month === 2 && wall.day === 29 ? lastLeapYear(year - 1) : year - 1;
  return { year };
}

/** The current year in `zone` at `now`. */
function yearAt(zone: string, now: Date): number {
  const minute = Math.floor(now.getTime() / 60_000);
  const l = last.year;
  if (l.minute === minute && l.zone === zone) return l.year;
  const year = remember(yearInZone, `${zone}|${minute}`, () => DateTime.fromJSDate(now, { zone }).year);
  last.year = { zone, minute, year };
  return year;
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function lastLeapYear(from: number): number {
  let y = from;
  while (!isLeapYear(y)) y--;
  return y;
}

/**
 * Parses a timestamp that carries its own offset (`Z`, `+05:30`, `+0100`, `-0700`), in ISO 8601 or the
 * space-separated form AIDE writes (`2026-11-26 09:11:19 +0100`). Without an offset the time is read in
 * `zone`. Returns UTC ISO or undefined when the text is not a timestamp.
 */
export function timestampToUtc(text: string, zone: string): string | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [, date, time, frac, offset] = m;
  if (offset !== undefined && !validOffset(offset)) return undefined;
  const iso = `${date}T${time}${frac ? '.' + frac.slice(0, 3).padEnd(3, '0') : ''}`;
  const dt = offset
    ? DateTime.fromISO(iso + normalizeOffset(offset), { setZone: true })
    : DateTime.fromISO(iso, { zone });
  return dt.isValid ? (dt.toUTC().toISO() ?? undefined) : undefined;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** RFC 3339's `time-numoffset`: hours 00-23, minutes 00-59 (`+99:99` would move the event by days). */
function validOffset(offset: string): boolean {
  if (offset === 'Z') return true;
  const digits = offset.replace(':', '');
  return Number(digits.slice(1, 3)) <= 23 && Number(digits.slice(3, 5)) <= 59;
}

function normalizeOffset(offset: string): string {
  if (offset === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

/** Epoch seconds (osquery, Wazuh) or milliseconds to UTC ISO. */
export function epochToUtc(value: number, unit: 's' | 'ms' = 's'): string {
  return new Date(unit === 's' ? value * 1000 : value).toISOString();
}
