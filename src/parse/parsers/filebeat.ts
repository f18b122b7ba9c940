import type { MutableEvent } from '../../domain/event';
import type { FieldSet } from '../../domain/field-catalogue';
import type { Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { isValidZone, timestampToUtc } from '../../normalize/time';
import { getPath, looksLikeJsonObject, parseJsonRecord } from '../json-record';
import { syslogEvents } from '../syslog/syslog-event';
import { splitSyslogLine } from '../syslog/syslog-line';
import { SYSLOG_LINE_FIELDS } from '../syslog/syslog-fields';
import { SYSMON_FIELDS } from '../sysmon/sysmon-fields';

/** The file Filebeat read the line from, beside what the line itself says. */
const FILEBEAT_FIELDS: FieldSet = {
  name: 'Filebeat records',
  datasets: { syslog: ['log.file.path'], auth: ['log.file.path'] },
};

/**
 * Filebeat / Elastic Agent JSON carrying a raw `message` (log input, filestream, the system module before
 * ingest). Filebeat's `@timestamp` is when it READ the line, not when it was written, so the time is taken
 * from the line itself; the zone is Filebeat's `event.timezone` (add_locale) when it is an IANA name, else
 * the source's configured zone. Lines that are not syslog keep Filebeat's own time.
 *
 * A line's year is inferred against that read time rather than the clock of this run (a record shipped in
 * 2019 and examined years later still dates its `Jul 11` line to 2019), and a nil RFC 5424 time becomes the
 * read time. Documents that have been through an ingest pipeline (`event.ingested`: Fleet's final pipeline,
 * the modules' pipelines) are already ECS, with `message` cut down to the parsed remainder: not claimed here.
 */
export const filebeatParser: Parser = {
  kind: 'filebeat',
  fields: [SYSLOG_LINE_FIELDS, SYSMON_FIELDS, FILEBEAT_FIELDS],
  sniff(text) {
    return (
      looksLikeJsonObject(text) &&
      /"message"\s*:/.test(text) &&
      !/"(?:event\.)?ingested"\s*:/.test(text) &&
      (/"type"\s*:\s*"(?:filebeat|elastic-agent)"/.test(text) ||
        /"input"\s*:\s*\{\s*"type"/.test(text) ||
        /"log"\s*:\s*\{\s*"(?:offset|file)"/.test(text))
    );
  },
  parse(text, ctx) {
    const json = parseJsonRecord(text);
    if (!json.ok) return rejected(json.reason);
    const record = json.value;
    const message = getPath(record, 'message');
    if (typeof message !== 'string') return rejected('Filebeat record has no string `message`');
    const host = getPath(record, 'host.name') ?? getPath(record, 'host.hostname');
    const zone = getPath(record, 'event.timezone');
    const read = getPath(record, '@timestamp');
    const utc = typeof read === 'string' ? timestampToUtc(read, 'UTC') : undefined;
    const local = {
      ...ctx,
      host: typeof host === 'string' ? host : ctx.host,
      timezone: typeof zone === 'string' && isValidZone(zone) ? zone : ctx.timezone,
      now: utc ? new Date(utc) : ctx.now,
    };
    // The file a line came from (auth.log, secure, messages) is kept whichever way the line is read.
    const path = getPath(record, 'log.file.path');
    const line = splitSyslogLine(message);
    if (line) {
      const outcome = syslogEvents(line, message, local, 'filebeat');
      if (!outcome.ok || typeof path !== 'string') return outcome;
      return parsed(outcome.events.map((e) => ({ ...e, 'log.file.path': path })));
    }

    if (!utc) return rejected('Filebeat record has neither a syslog line nor a valid @timestamp');
    const event: MutableEvent = {
      '@timestamp': utc,
      'event.original': message,
      'event.kind': 'event',
      'event.module': 'filebeat',
      'event.dataset': 'syslog',
      'host.name': local.host ?? 'unknown',
      message,
    };
    if (typeof path === 'string') event['log.file.path'] = path;
    return parsed([event]);
  },
};
