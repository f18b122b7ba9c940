import type { Parser } from '../../domain/parser';
import { rejected } from '../../domain/parser';
import { getPath, looksLikeJsonObject, parseJsonRecord, type JsonObject } from '../json-record';
import { syslogEvents } from '../syslog/syslog-event';
import type { SyslogLine } from '../syslog/syslog-line';
import { splitSyslogLine } from '../syslog/syslog-line';
import { SYSLOG_LINE_FIELDS } from '../syslog/syslog-fields';
import { SYSMON_FIELDS } from '../sysmon/sysmon-fields';

/**
 * rsyslog JSON: the `jsonmesg` property (all message properties), the built-in `RSYSLOG_StdJSONFmt`
 * template, and the omkafka/omelasticsearch templates people copy from rsyslog's docs
 * (`@timestamp`, `host`, `severity`, `facility`, `syslogtag`/`programname`, `message`).
 * The first field name present wins in each list below.
 */
const TIME = ['timereported', '@timestamp', 'timestamp', 'timegenerated'];
const HOST = ['hostname', 'host', 'fromhost', 'source'];
const MESSAGE = ['msg', 'message'];
const PROGRAM = ['programname', 'app-name', 'program', 'appname'];
const TAG = ['syslogtag', 'tag'];
const PID = ['procid', 'pid'];
const FACILITY = ['syslogfacility', 'facility', 'syslogfacility-text'];
const SEVERITY = ['syslogseverity', 'severity', 'priority', 'syslogseverity-text'];

const FACILITY_CODES: Readonly<Record<string, number>> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  'solaris-cron': 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};
const SEVERITY_CODES: Readonly<Record<string, number>> = {
  emerg: 0,
  alert: 1,
  crit: 2,
  err: 3,
  error: 3,
  warning: 4,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

export const rsyslogJsonParser: Parser = {
  kind: 'rsyslog-json',
  fields: [SYSLOG_LINE_FIELDS, SYSMON_FIELDS],
  sniff(text) {
    if (!looksLikeJsonObject(text)) return false;
    // an ECS document (Elastic Agent after its ingest pipeline) nests `log.syslog.facility`: not ours
    if (/"(?:ecs|event)"\s*:\s*\{/.test(text)) return false;
    return (
      /"(?:syslogtag|timereported|programname|rawmsg)"\s*:/.test(text) ||
      (/"(?:msg|message)"\s*:/.test(text) && /"(?:syslogfacility|facility|syslogseverity)"\s*:/.test(text))
    );
  },
  parse(text, ctx) {
    const json = parseJsonRecord(text);
    if (!json.ok) return rejected(json.reason);
    const record = json.value;
    const message = str(record, MESSAGE);
    if (message === undefined) return rejected('rsyslog JSON record has no msg/message field');
    const time = str(record, TIME);
    // A record without its own time can still be read from its embedded raw line.
    const raw = str(record, ['rawmsg']);
    const fromRaw = raw !== undefined ? splitSyslogLine(raw) : undefined;
    if (time === undefined && !fromRaw)
      return rejected('rsyslog JSON record has no timestamp (timereported/@timestamp)');
    const tag = str(record, TAG);
    const tagParts = tag !== undefined ? /^([^[\s:]+)(?:\[(\d+)\])?:?$/.exec(tag.trim()) : null;
    const program = str(record, PROGRAM) ?? tagParts?.[1] ?? fromRaw?.program;
    const pid = num(str(record, PID) ?? tagParts?.[2]) ?? fromRaw?.pid;
    const line: SyslogLine = {
      format: fromRaw?.format ?? 'rfc3164',
      pri: priority(record) ?? fromRaw?.pri,
      isoTimestamp: time,
      wallClock: time === undefined ? fromRaw?.wallClock : undefined,
      hostname: str(record, HOST) ?? fromRaw?.hostname,
      program: program === '-' ? undefined : program,
      pid,
      message: message.trimStart(),
    };
    return syslogEvents(line, text, ctx, 'rsyslog-json');
  },
};

function str(record: JsonObject, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = getPath(record, name) ?? record[name];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
    if (typeof v === 'object' && v !== null && name === 'host') {
      const hostName = getPath(v as JsonObject, 'name');
      if (typeof hostName === 'string') return hostName;
    }
  }
  return undefined;
}

function num(v: string | undefined): number | undefined {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** PRI from `pri`, or from facility and severity given as numbers or names. */
function priority(record: JsonObject): number | undefined {
  const pri = num(str(record, ['pri']));
  if (pri !== undefined) return pri;
  const facility = code(str(record, FACILITY), FACILITY_CODES);
  const severity = code(str(record, SEVERITY), SEVERITY_CODES);
  return facility !== undefined && severity !== undefined ? facility * 8 + severity : undefined;
}

function code(v: string | undefined, names: Readonly<Record<string, number>>): number | undefined {
  if (v === undefined) return undefined;
  return /^\d+$/.test(v) ? Number(v) : names[v.toLowerCase()];
}
