import { splitSyslogLine } from '../syslog/syslog-line';
import { splitFields, type AuditField } from './audit-fields';
import { recordTypeName, recordTypeNumber } from './record-types';

/** One audit record: a line of audit.log, or the same record as a syslog relay or the kernel log wrote it. */
export interface AuditRecord {
  /** `SYSCALL`, `EXECVE`, … (the kernel log's numbers are named: 1300 → `SYSCALL`) */
  readonly type: string;
  readonly typeNumber?: number;
  /** the event's time in epoch milliseconds (`msg=audit(SECONDS.MILLIS:SERIAL)`) */
  readonly time: number;
  /** `SECONDS.MILLIS:SERIAL` exactly as written: with the host, the event's identity */
  readonly id: string;
  /** `node=` (auditd's name_format), when the record carries one */
  readonly node?: string;
  /** the host of the syslog header the record came in, when it came through syslog */
  readonly relayHost?: string;
  /** fields in order, values as written; a user-space record's `msg='…'` is replaced by the fields inside it */
  readonly fields: readonly AuditField[];
  /** what the ENRICHED format adds after its 0x1d separator (`ARCH=x86_64 SYSCALL=execve AUID="root"`) */
  readonly interpreted: readonly AuditField[];
  /** the line as it arrived */
  readonly line: string;
}

/** The record part: `node=… type=NAME msg=audit(…): body` (auditd's log, audisp plugins). */
const AUDITD_FORM =
  /^(?:node=(\S+) )?type=([A-Z0-9_]+|UNKNOWN\[\d{1,5}\]) msg=audit\((\d{1,12})\.(\d{3}):(\d{1,20})\): ?/;
/** The kernel's own log line: `[  12.345678] audit: type=1300 audit(…): body` (printk when no auditd runs). */
const KERNEL_FORM = /^(?:\[\s*\d+\.\d+\] )?audit: type=(\d{1,5}) audit\((\d{1,12})\.(\d{3}):(\d{1,20})\): ?/;
const SEPARATOR = '\u001d';
/** ENRICHED's resolved fields are upper-case; in a syslog relay's copy the 0x1d became a space */
const INTERPRETED_NAME = /^[A-Z][A-Z0-9_]*$/;

export type AuditLineResult =
  { readonly ok: true; readonly record: AuditRecord } | { readonly ok: false; readonly reason: string };

/** Cheap check for `auto` sniffing: the line holds an audit record in one of the forms `parseAuditLine` reads. */
export function looksLikeAuditLine(line: string): boolean {
  // every form holds `audit(`: a search for it settles most lines sniffed (all but audit's) before any pattern
  if (!line.includes('audit(')) return false;
  if (AUDITD_FORM.test(line) || KERNEL_FORM.test(line)) return true;
  const split = splitSyslogLine(line);
  return split !== undefined && recordPart(split.message, split.program) !== undefined;
}

/**
 * Reads one line: an audit.log line (RAW or ENRICHED, with or without `node=`), the same record relayed
 * through syslog by auditd's syslog plugin (`audisp-syslog:`, or audit 2's `audispd:`), or the kernel's own
 * `audit: type=NNNN audit(…)` line in a kernel log, dmesg or syslog export.
 */
export function parseAuditLine(input: string): AuditLineResult {
  const line = input.replace(/\r?\n$/, '');
  if (line.includes('\n'))
    return { ok: false, reason: 'an audit record is one line; this one has line breaks' };
  const direct = recordPart(line, undefined);
  if (direct !== undefined) return { ok: true, record: build(direct, line, undefined) };
  const split = splitSyslogLine(line);
  if (split !== undefined) {
    const relayed = recordPart(split.message, split.program);
    if (relayed !== undefined) return { ok: true, record: build(relayed, line, split.hostname) };
    if (/\baudit\(\d+\.\d+:\d+\)/.test(split.message))
      return {
        ok: false,
        reason: 'an audit record in a syslog line, but not in a form auditd or the kernel writes',
      };
  }
  return { ok: false, reason: 'not an audit record (type=… msg=audit(EPOCH.MS:SERIAL): …)' };
}

interface RecordPart {
  readonly type: string;
  readonly typeNumber?: number;
  readonly seconds: string;
  readonly millis: string;
  readonly serial: string;
  readonly node?: string;
  readonly body: string;
}

function recordPart(text: string, program: string | undefined): RecordPart | undefined {
  if (program === undefined || program !== 'kernel') {
    const m = AUDITD_FORM.exec(text);
    if (m) {
      const [, node, type, seconds, millis, serial] = m;
      return {
        type: type!,
        typeNumber: recordTypeNumber(type!),
        seconds: seconds!,
        millis: millis!,
        serial: serial!,
        ...(node !== undefined && { node }),
        body: text.slice(m[0].length),
      };
    }
  }
  const k = KERNEL_FORM.exec(text);
  if (!k) return undefined;
  const [, number, seconds, millis, serial] = k;
  return {
    type: recordTypeName(Number(number)),
    typeNumber: Number(number),
    seconds: seconds!,
    millis: millis!,
    serial: serial!,
    body: text.slice(k[0].length),
  };
}

function build(part: RecordPart, line: string, relayHost: string | undefined): AuditRecord {
  const cut = part.body.indexOf(SEPARATOR);
  const raw = cut >= 0 ? part.body.slice(0, cut) : part.body;
  let fields = flattenMessage(splitFields(raw));
  let interpreted = cut >= 0 ? splitFields(part.body.slice(cut + 1)) : [];
  if (cut < 0) {
    const first = fields.findIndex((f) => INTERPRETED_NAME.test(f.name));
    if (first >= 0) {
      interpreted = fields.slice(first);
      fields = fields.slice(0, first);
    }
  }
  return {
    type: part.type,
    ...(part.typeNumber !== undefined && { typeNumber: part.typeNumber }),
    time: Number(part.seconds) * 1000 + Number(part.millis),
    id: `${part.seconds}.${part.millis}:${part.serial}`,
    ...(part.node !== undefined && part.node !== '' && { node: part.node }),
    ...(relayHost !== undefined && { relayHost }),
    fields,
    interpreted,
    line,
  };
}

/** A user-space record's `msg='op=… acct=… res=…'` holds its real fields: they take the msg's place. */
function flattenMessage(fields: AuditField[]): AuditField[] {
  const i = fields.findIndex((f) => f.name === 'msg' && f.raw.startsWith("'"));
  if (i < 0) return fields;
  const inner = fields[i]!.raw.slice(1, fields[i]!.raw.endsWith("'") ? -1 : undefined);
  const innerFields = splitFields(inner);
  if (innerFields.length === 0) return fields;
  return [...fields.slice(0, i), ...innerFields, ...fields.slice(i + 1)];
}
