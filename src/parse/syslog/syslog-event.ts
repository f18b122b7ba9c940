import { EVENT_COUNT, type MutableEvent, type SiemEvent } from '../../domain/event';
import type { InputKind } from '../../domain/input-kind';
import type { ParseContext, ParseOutcome } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { timestampToUtc, wallClockToUtc } from '../../normalize/time';
import { AUTH_PROGRAMS, authSemantics } from '../auth/auth-semantics';
import { isSysmonMessage, sysmonEvent } from '../sysmon/sysmon-syslog';
import { decodePriority, isAuthFacility } from './priority';
import type { SyslogLine } from './syslog-line';

/** rsyslog's `$RepeatedMsgReduction`: one line standing for N identical messages. */
const REPEATED = /^message repeated (\d+) times: \[ ?(.*?) ?\]$/s;
const REPEATED_START = 'message repeated ';

/**
 * Builds the events of one syslog message: UTC time (the record's offset wins, else the source's zone),
 * host, program, priority, and the auth semantics of its message. Shared by every input kind that carries
 * syslog messages (plain lines, rsyslog JSON, Filebeat).
 */
export function syslogEvents(
  line: SyslogLine,
  original: string,
  ctx: ParseContext,
  module: InputKind,
): ParseOutcome {
  const time = eventTime(line, ctx);
  if (!time) return rejected('timestamp is not a valid date');
  const pri = line.pri === undefined ? undefined : decodePriority(line.pri);
  if (line.pri !== undefined && !pri) return rejected(`syslog priority ${line.pri} is out of range`);

  const base: MutableEvent = {
    '@timestamp': time.utc,
    'event.original': original,
    'event.kind': 'event',
    'event.module': module,
    'host.name': line.hostname ?? ctx.host ?? 'unknown',
    'log.syslog.format': line.format,
  };
  if (time.zone) base['event.timezone'] = time.zone;
  if (pri) {
    base['log.syslog.priority'] = pri.priority;
    base['log.syslog.facility.code'] = pri.facility;
    base['log.syslog.facility.name'] = pri.facilityName;
    base['log.syslog.severity.code'] = pri.severity;
    base['log.syslog.severity.name'] = pri.severityName;
  }
  if (line.program !== undefined) {
    base['process.name'] = line.program;
    base['log.syslog.appname'] = line.program;
  }
  if (line.pid !== undefined) base['process.pid'] = line.pid;
  if (line.msgid !== undefined) base['log.syslog.msgid'] = line.msgid;
  if (line.structuredData) base['log.syslog.structured_data'] = JSON.stringify(line.structuredData);

  const isAuth =
    isAuthFacility(pri?.facilityName) || (line.program !== undefined && AUTH_PROGRAMS.has(line.program));
  base['event.dataset'] = isAuth ? 'auth' : 'syslog';
  // Sysmon for Linux writes each record as one syslog message of XML: decoded, it is a process, socket
  // or file event, not a line of text
  if (isSysmonMessage(line.program, line.message)) return sysmonEvent(base, line.message);

  // the pattern is only tried on messages that start like it: a regex call cost more than the test
  const repeated = line.message.startsWith(REPEATED_START) ? REPEATED.exec(line.message) : null;
  if (!repeated) return parsed([withMessage(base, line, line.message)]);
  // One event for N occurrences, whatever N says: any local user can forge the line with `logger`, so a
  // count must cost what one event costs. A count past 2^53 is held at 2^53-1 (the raw line keeps it).
  base[EVENT_COUNT] = Math.max(1, Math.min(Number(repeated[1]), Number.MAX_SAFE_INTEGER));
  return parsed([withMessage(base, line, repeated[2]!)]);
}

/** Completes `event` (taken over, not copied: this runs for every record) with the message and its facts. */
function withMessage(event: MutableEvent, line: SyslogLine, message: string): SiemEvent {
  event.message = message;
  const facts = authSemantics(line.program, line.subsystem, message);
  if (facts) {
    Object.assign(event, facts);
    event['event.dataset'] = 'auth';
  }
  return event;
}

function eventTime(line: SyslogLine, ctx: ParseContext): { utc: string; zone?: string } | undefined {
  if (line.isoTimestamp !== undefined) {
    const utc = timestampToUtc(line.isoTimestamp, ctx.timezone);
    return utc === undefined ? undefined : { utc };
  }
  if (line.wallClock) {
    const host = line.hostname ?? ctx.host;
    const zone = (host !== undefined ? ctx.zoneForHost?.(host) : undefined) ?? ctx.timezone;
    const utc = wallClockToUtc(line.wallClock, zone, ctx.now, ctx.year);
    return utc === undefined ? undefined : { utc, zone };
  }
  // RFC 5424 allows a nil timestamp: the best time left is when the record was observed.
  return { utc: ctx.now.toISOString() };
}
