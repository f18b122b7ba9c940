import type { WallClock } from '../../normalize/time';
import { encodePriority } from './priority';
import { unwrapSudoLogEntry } from './sudo-log-file';

/** A syslog record taken apart, before time normalization and auth semantics. */
export interface SyslogLine {
  readonly format: 'rfc3164' | 'rfc5424' | 'iso8601';
  readonly pri?: number;
  /** a timestamp with its own offset (RFC 5424, ISO 8601 file format) */
  readonly isoTimestamp?: string;
  /** an offset-less wall-clock time (RFC 3164) */
  readonly wallClock?: WallClock;
  readonly hostname?: string;
  readonly program?: string;
  /** old-style sub-tag: `sshd(pam_unix)[123]:` */
  readonly subsystem?: string;
  readonly pid?: number;
  readonly msgid?: string;
  readonly structuredData?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly message: string;
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

const RFC5424_HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
/** rsyslog's file format (`2026-11-26T09:10:49.123456+01:00 host …`) and the syslog-like lines some collectors
 * write with a space and a colon-less offset (`2020-03-23 06:47:42.801612-0700  host …`). */
const ISO8601 =
  /^(?:<(\d{1,3})>)?(\d{4}-\d{2}-\d{2}(?:T| )\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+(.*)$/s;
const RFC3164 =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\d{4}))? +(.*)$/s;
/** `prog[pid]:`, `prog:`, `prog(sub)[pid]:` — the tag rsyslog and glibc's syslog() write. */
const TAG = /^([^\s[\]():]{1,64})(?:\(([^)\s]{1,64})\))?(?:\[(\d{1,10})\])?: ?(.*)$/s;

const NIL = '-';

/** Takes a syslog line apart; undefined when it is none of RFC 3164, RFC 5424 or rsyslog's ISO 8601 format. */
export function splitSyslogLine(line: string): SyslogLine | undefined {
  const first = line.charCodeAt(0);
  if (first === LESS_THAN) {
    const m5424 = RFC5424_HEADER.exec(line);
    if (m5424) return fromRfc5424(m5424, line.slice(m5424[0].length));
  }
  // ISO8601 starts with a PRI or a digit: most lines (RFC 3164's month) need not try it
  if (first === LESS_THAN || (first >= DIGIT_0 && first <= DIGIT_9)) {
    const iso = ISO8601.exec(line);
    if (iso) return fromIso8601(iso);
  }
  const bsd = RFC3164.exec(line);
  if (bsd) return fromRfc3164(bsd);
  return undefined;
}

const LESS_THAN = 0x3c;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function fromRfc5424(m: RegExpExecArray, rest: string): SyslogLine | undefined {
  const [, pri, , ts, host, app, procid, msgid] = m;
  let structuredData: SyslogLine['structuredData'];
  let msg: string;
  if (rest.startsWith(NIL)) {
    msg = rest.slice(1);
  } else {
    const sd = parseStructuredData(rest);
    if (!sd) return undefined;
    structuredData = sd.elements;
    msg = rest.slice(sd.end);
  }
  return {
    format: 'rfc5424',
    pri: Number(pri),
    isoTimestamp: ts === NIL ? undefined : ts,
    hostname: nil(host),
    program: nil(app),
    pid: procid !== undefined && /^\d+$/.test(procid) ? Number(procid) : undefined,
    msgid: nil(msgid),
    structuredData,
    message: stripBom(msg.startsWith(' ') ? msg.slice(1) : msg).trimStart(),
  };
}

function fromIso8601(m: RegExpExecArray): SyslogLine {
  const [, pri, ts, host, rest] = m;
  const tagged = splitTag(rest!);
  return {
    format: 'iso8601',
    ...tagged,
    pri: pri === undefined ? tagged.pri : Number(pri),
    isoTimestamp: ts,
    hostname: host,
  };
}

// Matches are read by index, not destructured: destructuring walks an iterator, and this runs for every line.
function fromRfc3164(m: RegExpExecArray): SyslogLine | undefined {
  const month = MONTHS[m[2]!];
  if (month === undefined) return undefined;
  const year = m[8];
  const frac = m[7];
  const wallClock: WallClock = {
    year: year === undefined ? undefined : Number(year),
    month,
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    millisecond: frac === undefined ? undefined : Math.floor(Number(`0.${frac}`) * 1000),
  };
  const pri = optNum(m[1]);
  const body = m[9]!;
  // sudo's own log file: `Nov 27 17:44:40 [2017 ]: alice : [HOST=web01 ; ]TTY=…` — no host, no tag; a long
  // entry comes wrapped over several lines (sudo-log-file.ts).
  if (body.startsWith(': ')) return sudoLogFileLine(pri, wallClock, body.slice(2));
  // With no HOSTNAME field the first token is already the tag (`rsyslogd: …`, `sshd[54]: …`).
  const space = body.indexOf(' ');
  const first = space < 0 ? body : body.slice(0, space);
  if (first.endsWith(':') && TAG.test(first)) return withTag(pri, wallClock, undefined, body);
  if (space < 0) return { format: 'rfc3164', pri, wallClock, hostname: body, message: '' };
  return withTag(pri, wallClock, first, body.slice(space + 1));
}

function withTag(
  pri: number | undefined,
  wallClock: WallClock,
  hostname: string | undefined,
  rest: string,
): SyslogLine {
  // copied field by field rather than spread: a spread of a small object costs more than the whole split
  const t = splitTag(rest);
  return {
    format: 'rfc3164',
    program: t.program,
    subsystem: t.subsystem,
    pid: t.pid,
    msgid: t.msgid,
    message: t.message,
    pri: pri ?? t.pri,
    wallClock,
    hostname,
  };
}

function sudoLogFileLine(pri: number | undefined, wallClock: WallClock, wrapped: string): SyslogLine {
  const message = unwrapSudoLogEntry(wrapped);
  const host = SUDO_HOST.exec(message)?.[1];
  return { format: 'rfc3164', pri, wallClock, hostname: host, program: 'sudo', message };
}

const SUDO_HOST = /^\S+ : (?:.*? [;:] )?HOST=([^\s;:]+)/;

type Tagged = Pick<SyslogLine, 'program' | 'subsystem' | 'pid' | 'message' | 'msgid' | 'pri'>;

function splitTag(rest: string): Tagged {
  const t = TAG.exec(rest);
  if (!t) return { message: rest };
  const message = t[4]!.trimStart();
  const solaris = message.startsWith('[ID ') ? SOLARIS_ID.exec(message) : null;
  if (!solaris) return { program: t[1], subsystem: t[2], pid: optNum(t[3]), message };
  return { program: t[1], subsystem: t[2], pid: optNum(t[3]), ...solarisMessageId(message, solaris) };
}

/** Solaris syslogd's `[ID 800047 auth.notice] ` before the message: the message id and the priority it names. */
const SOLARIS_ID = /^\[ID (\d+) ([a-z0-9]+)\.([a-z]+)\] ?/;

function solarisMessageId(message: string, m: RegExpExecArray): Pick<Tagged, 'message' | 'msgid' | 'pri'> {
  const pri = encodePriority(m[2]!, m[3]!);
  return { message: message.slice(m[0].length), msgid: `ID ${m[1]!}`, ...(pri !== undefined && { pri }) };
}

type SdElements = Record<string, Record<string, string>>;

/**
 * RFC 5424 STRUCTURED-DATA at the start of `text`: `[id k="v" …][id2 …]`, with `\"`, `\\` and `\]` escapes
 * inside values. A hand-written scanner (one pass) rather than a regex, so hostile input stays linear.
 */
export function parseStructuredData(text: string): { elements: SdElements; end: number } | undefined {
  const elements = Object.create(null) as SdElements;
  let i = 0;
  while (text[i] === '[') {
    let j = i + 1;
    while (j < text.length && text[j] !== ' ' && text[j] !== ']') j++;
    const id = text.slice(i + 1, j);
    if (!id) return undefined;
    const params = Object.create(null) as Record<string, string>;
    while (text[j] === ' ') {
      const eq = text.indexOf('="', j);
      if (eq < 0) return undefined;
      const name = text.slice(j + 1, eq);
      let k = eq + 2;
      let value = '';
      while (k < text.length && text[k] !== '"') {
        if (text[k] === '\\' && k + 1 < text.length) k++;
        value += text[k];
        k++;
      }
      if (k >= text.length) return undefined;
      params[name] = value;
      j = k + 1;
    }
    if (text[j] !== ']') return undefined;
    elements[id] = params;
    i = j + 1;
  }
  return i === 0 ? undefined : { elements, end: i };
}

const nil = (v: string | undefined): string | undefined => (v === undefined || v === NIL ? undefined : v);
const optNum = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const stripBom = (s: string): string => (s.startsWith('\uFEFF') ? s.slice(1) : s);
