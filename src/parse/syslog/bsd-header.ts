import { isSpace } from '../text-checks';

/**
 * The RFC 3164 header and the syslog tag read by hand, character by character. They are what every line of a
 * traditional log starts with, and the regexes that read them (kept in test/unit/parse/syslog-scan.test.ts,
 * which checks these scanners against them) cut a substring for every field and ran the tag pattern twice.
 * A scan returns where it stopped and leaves what it read in a scratch object, to be read right after the
 * call: one thread scans one line at a time, and a line costs no allocation until its fields are built.
 */

/** What bsdHeader read: `<PRI>Mmm dd hh:mm:ss[.frac][ yyyy]`, numbers as numbers. */
export const header = {
  /** NaN when the line has no PRI */
  pri: Number.NaN,
  month: 0,
  day: 0,
  hour: 0,
  minute: 0,
  second: 0,
  /** NaN when the line has no year */
  year: Number.NaN,
  /** the fraction's digits are text[fracStart, fracEnd); fracStart is -1 when there is none */
  fracStart: -1,
  fracEnd: -1,
};

/**
 * Reads `^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\d{4}))? +`
 * with a known month name: the index where the rest of the line (the body) starts, or -1.
 */
export function bsdHeader(text: string): number {
  const n = text.length;
  let i = 0;
  header.pri = Number.NaN;
  if (text.charCodeAt(0) === LESS_THAN) {
    let pri = 0;
    i = 1;
    while (i < n && i <= 3 && isDigit(text.charCodeAt(i))) pri = pri * 10 + text.charCodeAt(i++) - DIGIT_0;
    if (i === 1 || text.charCodeAt(i) !== GREATER_THAN) return -1;
    header.pri = pri;
    i++;
  }
  const month = monthAt(text, i);
  if (month === 0) return -1;
  header.month = month;
  i += 3;
  // one or two spaces, then a day of one or two digits and a space
  if (text.charCodeAt(i) !== SPACE) return -1;
  i++;
  if (text.charCodeAt(i) === SPACE) i++;
  if (!isDigit(text.charCodeAt(i))) return -1;
  let day = text.charCodeAt(i++) - DIGIT_0;
  if (isDigit(text.charCodeAt(i))) day = day * 10 + text.charCodeAt(i++) - DIGIT_0;
  if (text.charCodeAt(i) !== SPACE) return -1;
  header.day = day;
  i++;
  const hour = twoDigits(text, i);
  const minute = twoDigits(text, i + 3);
  const second = twoDigits(text, i + 6);
  if (
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(i + 2) !== COLON ||
    text.charCodeAt(i + 5) !== COLON
  )
    return -1;
  header.hour = hour;
  header.minute = minute;
  header.second = second;
  i += 8;
  header.fracStart = -1;
  if (text.charCodeAt(i) === DOT) {
    const start = i + 1;
    let end = start;
    while (end < n && isDigit(text.charCodeAt(end))) end++;
    // seven digits or more cannot be read by the pattern at all: the dot is then in the way of the space
    if (end === start || end - start > 6) return -1;
    header.fracStart = start;
    header.fracEnd = end;
    i = end;
  }
  if (text.charCodeAt(i) !== SPACE) return -1;
  // a year is one space and four digits, and only when a space follows them
  header.year = Number.NaN;
  const century = twoDigits(text, i + 1);
  const years = twoDigits(text, i + 3);
  if (century >= 0 && years >= 0 && text.charCodeAt(i + 5) === SPACE) {
    header.year = century * 100 + years;
    i += 5;
  }
  while (text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Where scanTag found the tag's parts: program text[from, programEnd), sub-tag, pid (NaN: none). */
export const tag = { programEnd: 0, subStart: -1, subEnd: -1, pid: Number.NaN };

/**
 * Reads the tag rsyslog and glibc's syslog() write at `from` — `prog[pid]:`, `prog:`, `prog(sub)[pid]:` — as
 * `^([^\s[\]():]{1,64})(?:\(([^)\s]{1,64})\))?(?:\[(\d{1,10})\])?:` does: the index after its colon, or -1.
 */
export function scanTag(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n && isProgramChar(text.charCodeAt(i))) i++;
  if (i === from || i - from > 64) return -1;
  tag.programEnd = i;
  tag.subStart = -1;
  if (text.charCodeAt(i) === OPEN_PAREN) {
    const start = i + 1;
    let end = start;
    while (end < n && text.charCodeAt(end) !== CLOSE_PAREN && !isSpace(text.charCodeAt(end))) end++;
    if (end === start || end - start > 64 || text.charCodeAt(end) !== CLOSE_PAREN) return -1;
    tag.subStart = start;
    tag.subEnd = end;
    i = end + 1;
  }
  tag.pid = Number.NaN;
  if (text.charCodeAt(i) === OPEN_BRACKET) {
    let pid = 0;
    let end = i + 1;
    while (end < n && isDigit(text.charCodeAt(end))) pid = pid * 10 + text.charCodeAt(end++) - DIGIT_0;
    if (end === i + 1 || end - i - 1 > 10 || text.charCodeAt(end) !== CLOSE_BRACKET) return -1;
    tag.pid = pid;
    i = end + 1;
  }
  return text.charCodeAt(i) === COLON ? i + 1 : -1;
}

/** The month of the three letters at `i` (`[A-Z][a-z]{2}` and a month's name), or 0. */
function monthAt(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  if (!(a >= 0x41 && a <= 0x5a && b >= 0x61 && b <= 0x7a && c >= 0x61 && c <= 0x7a)) return 0;
  // twelve comparisons of the letters packed in one number: a map lookup per line cost more
  const key = (a << 16) | (b << 8) | c;
  for (let k = 0; k < 12; k++) if (MONTH_KEYS[k] === key) return k + 1;
  return 0;
}

const MONTH_KEYS = Int32Array.from(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
    (name) => (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
  ),
);

/** The number of the two digits at `i`, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  return isDigit(a) && isDigit(b) ? (a - DIGIT_0) * 10 + b - DIGIT_0 : -1;
}

/** A character of a program name: `[^\s[\]():]`. */
const isProgramChar = (c: number): boolean =>
  c !== OPEN_BRACKET &&
  c !== CLOSE_BRACKET &&
  c !== OPEN_PAREN &&
  c !== CLOSE_PAREN &&
  c !== COLON &&
  !isSpace(c);

const isDigit = (c: number): boolean => c >= DIGIT_0 && c <= DIGIT_9;

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const SPACE = 0x20;
const COLON = 0x3a;
const DOT = 0x2e;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
