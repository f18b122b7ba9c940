import type { Parser } from '../../domain/parser';
import { rejected } from '../../domain/parser';
import { syslogEvents } from '../syslog/syslog-event';
import { splitSyslogLine } from '../syslog/syslog-line';
import {
  isSudoContinuationLine,
  isWrappedSudoLogEntry,
  LONE_CONTINUATION_REASON,
} from '../syslog/sudo-log-file';
import { binaryJunk, isPlainLine, withoutLineEnd } from '../text-checks';
import { SYSLOG_LINE_FIELDS } from '../syslog/syslog-fields';
import { SYSMON_FIELDS } from '../sysmon/sysmon-fields';

const LOOKS_LIKE_SYSLOG =
  /^(?:<\d{1,3}>\d{1,2} (?:-|\d{4}-\d{2}-\d{2}T)|(?:<\d{1,3}>)?(?:[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}| \d{2}:\d{2}:\d{2}(?:\.\d+)?[+-]\d{4} )))/;

/**
 * RFC 3164 (with or without PRI and HOSTNAME), RFC 5424, and rsyslog's ISO 8601 file format; also sudo's own
 * log file, whose long entries come as one record of several lines (scan joins them, as Filebeat's multiline
 * can) and keep those lines in `event.original`.
 */
export const syslogParser: Parser = {
  kind: 'syslog',
  fields: [SYSLOG_LINE_FIELDS, SYSMON_FIELDS],
  // a lone continuation line of sudo's log file is claimed too, to be dead-lettered with what it is
  sniff: (text) => LOOKS_LIKE_SYSLOG.test(text) || isSudoContinuationLine(text),
  parse(text, ctx) {
    // CRLF files (logs copied through Windows tooling) end each line with a stray CR.
    const line = withoutLineEnd(text);
    const plain = isPlainLine(line);
    const junk = plain ? undefined : binaryJunk(line);
    if (junk) return rejected(junk);
    if (isSudoContinuationLine(line)) return rejected(LONE_CONTINUATION_REASON);
    if (!plain && line.includes('\n') && !isWrappedSudoLogEntry(line)) {
      return rejected('a syslog record is one line; this one has line breaks');
    }
    const split = splitSyslogLine(line);
    if (!split) return rejected('not a syslog line (RFC 3164, RFC 5424 or ISO 8601 timestamp expected)');
    return syslogEvents(split, line, ctx, 'syslog');
  },
};
