import type { WallClock } from '../../normalize/time';
import { bsdHeader, header, scanTag, tag } from './bsd-header';
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

const RFC5424_HEADER = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
/** rsyslog's file format (`2026-11-26T09:10:49.123456+01:00 host …`) and the syslog-like lines some collectors
 * write with a space and a colon-less offset (`2020-03-23 06:47:42.801612-0700  host …`). */
const ISO8601 =
  /^(?:<(\d{1,3})>)?(\d{4}-\d{2}-\d{2}(?:T| )\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+(.*)$/s;

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
  // RFC 3164, the traditional form, read by hand (bsd-header.ts)
  const body = bsdHeader(line);
  return body < 0 ? undefined : fromRfc3164(line, body);
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

/** The line whose header bsdHeader just read, its body starting at `body`. */
function fromRfc3164(line: string, body: number): SyslogLine {
  const h = header;
  const wallClock: WallClock = {
    year: Number.isNaN(h.year) ? undefined : h.year,
    month: h.month,
    day: h.day,
    hour: h.hour,
    minute: h.minute,
    second: h.second,
    millisecond:
      h.fracStart < 0 ? undefined : Math.floor(Number(`0.${line.slice(h.fracStart, h.fracEnd)}`) * 1000),
  };
  const pri = Number.isNaN(h.pri) ? undefined : h.pri;
  // sudo's own log file: `Nov 27 17:44:40 [2017 ]: alice : [HOST=web01 ; ]TTY=…` — no host, no tag; a long
  // entry comes wrapped over several lines (sudo-log-file.ts).
  if (line.startsWith(': ', body)) return sudoLogFileLine(pri, wallClock, line.slice(body + 2));
  // With no HOSTNAME field the first token is already the tag (`rsyslogd: …`, `sshd[54]: …`).
  const space = line.indexOf(' ', body);
  const end = space < 0 ? line.length : space;
  if (end > body && line.charCodeAt(end - 1) === COLON && scanTag(line, body) >= 0)
    return withTag(pri, wallClock, undefined, line, body);
  if (space < 0) return { format: 'rfc3164', pri, wallClock, hostname: line.slice(body), message: '' };
  return withTag(pri, wallClock, line.slice(body, space), line, space + 1);
}

/** The rest of an RFC 3164 line from `from`: its tag, when it has one, and the message. */
function withTag(
  pri: number | undefined,
  wallClock: WallClock,
  hostname: string | undefined,
  line: string,
  from: number,
): SyslogLine {
  // built field by field rather than spread from splitTag's: a spread of a small object costs more than the
  // whole split
  const end = scanTag(line, from);
  if (end < 0) return { format: 'rfc3164', message: line.slice(from), pri, wallClock, hostname };
  const message = line.slice(end).trimStart();
  const program = line.slice(from, tag.programEnd);
  const subsystem = tag.subStart < 0 ? undefined : line.slice(tag.subStart, tag.subEnd);
  const pid = Number.isNaN(tag.pid) ? undefined : tag.pid;
  if (message.startsWith('[ID ')) {
    const solaris = SOLARIS_ID.exec(message);
    if (solaris) {
      const t = solarisMessageId(message, solaris);
      return { format: 'rfc3164', program, subsystem, pid, ...t, pri: pri ?? t.pri, wallClock, hostname };
    }
  }
  return { format: 'rfc3164', program, subsystem, pid, msgid: undefined, message, pri, wallClock, hostname };
}

const COLON = 0x3a;

function sudoLogFileLine(pri: number | undefined, wallClock: WallClock, wrapped: string): SyslogLine {
  const message = unwrapSudoLogEntry(wrapped);
  const host = SUDO_HOST.exec(message)?.[1];
  return { format: 'rfc3164', pri, wallClock, hostname: host, program: 'sudo', message };
}

const SUDO_HOST = /^\S+ : (?:.*? [;:] )?HOST=([^\s;:]+)/;

type Tagged = Pick<SyslogLine, 'program' | 'subsystem' | 'pid' | 'message' | 'msgid' | 'pri'>;

function splitTag(rest: string): Tagged {
  const end = scanTag(rest, 0);
  if (end < 0) return { message: rest };
  const message = rest.slice(end).trimStart();
  const program = rest.slice(0, tag.programEnd);
  const subsystem = tag.subStart < 0 ? undefined : rest.slice(tag.subStart, tag.subEnd);
  const pid = Number.isNaN(tag.pid) ? undefined : tag.pid;
  const solaris = message.startsWith('[ID ') ? SOLARIS_ID.exec(message) : null;
  if (!solaris) return { program, subsystem, pid, message };
  return { program, subsystem, pid, ...solarisMessageId(message, solaris) };
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
const stripBom = (s: string): string => (s.startsWith('\uFEFF') ? s.slice(1) : s);
