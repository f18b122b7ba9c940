import type { Parser } from '../../domain/parser';
import { parsed } from '../../domain/parser';
import { AuditStream } from '../audit/audit-stream';
import { looksLikeAuditLine } from '../audit/audit-line';
import { AUDITD_FIELDS } from '../fields/auditd-fields';
import { guarded } from './record-limits';
import { firstLine } from '../text-checks';

/**
 * Raw audit records (auditd's log RAW or ENRICHED, the syslog plugin's relay, the kernel's own log lines).
 * A stream of lines goes through an AuditStream, which groups them into events (the pipeline keeps one per
 * source); as a parser on its own it reads a record of one or more lines as complete events — what a rule's
 * test case or a single message holding a whole event needs.
 */
export const auditdParser: Parser = {
  kind: 'auditd',
  fields: [AUDITD_FIELDS],
  sniff: (text) => looksLikeAuditLine(firstLine(text)),
  parse: guarded((text, ctx) => {
    const stream = new AuditStream<number>();
    const events = [];
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    for (const [i, line] of lines.entries()) {
      const outcome = stream.add(line, i, ctx);
      if (!outcome.ok)
        return lines.length > 1 ? { ok: false, reason: `line ${i + 1}: ${outcome.reason}` } : outcome;
      events.push(...outcome.events);
    }
    events.push(...stream.flush());
    return parsed(events);
  }),
};
