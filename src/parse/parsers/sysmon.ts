import type { MutableEvent } from '../../domain/event';
import type { Parser } from '../../domain/parser';
import { observedAt } from './event-base';
import { sysmonEvent } from '../sysmon/sysmon-syslog';
import { syslogParser } from './syslog';
import { SYSMON_FIELDS } from '../sysmon/sysmon-fields';

const SYSMON_MARK = '<Provider Name="Linux-Sysmon"';

/**
 * Sysmon for Linux: its records as syslog lines (`… sysmon: <Event>…</Event>`, the way it writes them to
 * /var/log/syslog), or bare, one `<Event>` per line (`journalctl -t sysmon -o cat`). The syslog input kind
 * decodes the same records when they arrive in a syslog stream; this kind is for topics and files that
 * carry Sysmon, and is sniffed. Other lines of such a syslog file (Sysmon's own start-up messages, other
 * programs) are read as the syslog lines they are.
 */
export const sysmonParser: Parser = {
  kind: 'sysmon',
  fields: [SYSMON_FIELDS],
  sniff: (text) => text.includes(SYSMON_MARK),
  parse(text, ctx) {
    const line = text.replace(/\r?\n?$/, '');
    if (!line.startsWith('<')) return syslogParser.parse(text, ctx);
    const base: MutableEvent = {
      // replaced by the record's TimeCreated; the time it was observed when it has none
      '@timestamp': observedAt(ctx),
      'event.original': line,
      'event.kind': 'event',
      'event.module': 'sysmon',
      'host.name': ctx.host ?? 'unknown',
    };
    return sysmonEvent(base, line);
  },
};
