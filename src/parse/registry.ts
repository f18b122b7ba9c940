import { INPUT_KINDS, type InputKind } from '../domain/input-kind';
import type { Parser } from '../domain/parser';
import { aideParser } from './parsers/aide';
import { looksLikeAideText } from './parsers/aide-text';
import { auditbeatParser } from './parsers/auditbeat';
import { auditdParser } from './parsers/auditd';
import { ecsParser } from './parsers/ecs';
import { filebeatParser } from './parsers/filebeat';
import { lsofParser } from './parsers/lsof';
import { osqueryParser } from './parsers/osquery';
import { psParser } from './parsers/ps';
import { rsyslogJsonParser } from './parsers/rsyslog-json';
import { snapshotParser } from './parsers/snapshot/snapshot';
import { ssParser } from './parsers/ss';
import { sysmonParser } from './parsers/sysmon';
import { syslogParser } from './parsers/syslog';
import { continuesSudoLogEntry } from './syslog/sudo-log-file';
import { wazuhParser } from './parsers/wazuh';

/** Every parser, registered under its input kind. */
const PARSERS: ReadonlyMap<InputKind, Parser> = new Map(
  [
    aideParser,
    auditbeatParser,
    wazuhParser,
    osqueryParser,
    snapshotParser,
    filebeatParser,
    rsyslogJsonParser,
    ecsParser,
    auditdParser,
    ssParser,
    lsofParser,
    psParser,
    sysmonParser,
    syslogParser,
  ].map((p) => [p.kind, p] as const),
);

/** Parsers in sniffing order (specific JSON shapes first, syslog last). */
const SNIFF_ORDER: readonly Parser[] = INPUT_KINDS.flatMap((kind) => {
  const parser = PARSERS.get(kind);
  return parser ? [parser] : [];
});

export function parserFor(kind: InputKind): Parser | undefined {
  return PARSERS.get(kind);
}

/** The first parser whose sniff accepts the record, or undefined. */
export function sniffParser(text: string): Parser | undefined {
  return SNIFF_ORDER.find((p) => p.sniff(text));
}

export const registeredKinds = (): InputKind[] => [...PARSERS.keys()];

/**
 * Whether a file starting with `head` is one multi-line document rather than a record per line: the
 * formats whose reports span lines (AIDE's text report). Multi-line JSON is recognised by the reader itself.
 */
export const isWholeDocumentHead = (head: string): boolean => looksLikeAideText(head);

/**
 * Whether a line read from a file carries on the record before it (`entry`), for the formats that wrap one
 * entry over several lines: sudo's own log file. The reader joins such lines into one record.
 */
export const continuesRecord = (entry: string, line: string): boolean => continuesSudoLogEntry(entry, line);
