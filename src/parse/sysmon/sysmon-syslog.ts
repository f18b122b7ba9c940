import type { MutableEvent } from '../../domain/event';
import { parsed, rejected, type ParseOutcome } from '../../domain/parser';
import { addSysmonFields } from './sysmon-event';
import { decodeSysmonXml } from './sysmon-xml';

/**
 * A syslog message carrying a Sysmon for Linux record: markup from program `sysmon` (its plain start-up
 * lines stay text), or an `<Event>` naming the Linux-Sysmon provider whatever the tag.
 */
export function isSysmonMessage(program: string | undefined, message: string): boolean {
  if (!message.startsWith('<')) return false;
  return (
    program === 'sysmon' ||
    (message.startsWith('<Event') && message.includes('<Provider Name="Linux-Sysmon"'))
  );
}

/**
 * The event of a Sysmon record that arrived as a syslog message (any carrier: a syslog line, rsyslog JSON,
 * Filebeat): `base` holds the carrier's fields (host, syslog time and priority), the record's own fields
 * win. `message` keeps the XML, so keyword rules still see the record's text. A record that does not
 * decode is refused with the reason (a dead letter), never passed on as plain text.
 */
export function sysmonEvent(base: MutableEvent, message: string): ParseOutcome {
  const record = decodeSysmonXml(message);
  if (typeof record === 'string') return rejected(record);
  base.message = message;
  return parsed([addSysmonFields(base, record)]);
}
