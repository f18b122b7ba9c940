import { LEVELS } from '../../domain/rule';
import { terminalText } from '../../observability/terminal-text';
import type { ScanSummary } from '../../scan/scan-summary';
import { shortTime } from './alert-row';
import { displayWidth, severityPaint, type TerminalStyle } from './terminal-style';

/** Rules listed by name in the summary; the rest are counted on one line. */
const TOP_RULES = 15;

/**
 * The end-of-scan summary for people: what was read, the evidence's time span, alerts per severity, per
 * rule and per host with its first and last finding, and a line per skipped file. File names, hosts and
 * reasons come from a suspect host: each is escaped like every other attacker text, before any colour.
 */
export function summaryLines(s: ScanSummary, style: TerminalStyle): string[] {
  const paint = severityPaint(style.color);
  const out: string[] = ['', 'summary'];
  out.push(
    `  read       ${s.files} file(s), ${s.records} record(s), ${s.events} event(s), ` +
      `${s.deadLettered} dead letter(s)` +
      (s.deadLettered > 0
        ? ` (${[...s.deadLetterReasons].map(([r, n]) => `${n} × ${terminalText(r)}`).join(', ')})`
        : ''),
  );
  for (const skip of s.skipped)
    out.push(`  skipped    ${terminalText(skip.path)}: ${terminalText(skip.reason)}`);
  if (s.firstEvent !== undefined && s.lastEvent !== undefined)
    out.push(`  evidence   ${shortTime(s.firstEvent)} … ${shortTime(s.lastEvent)} UTC`);
  // a time with no offset was read in a zone: a forgotten --timezone puts such events hours off the rest
  if (s.zones.length > 0) {
    const zones = s.zones.map(([zone, n]) => `${n} event(s) read in ${shortened(terminalText(zone))}`);
    out.push(
      ...wrap('  zone       ', [...zones, 'their records carry no UTC offset (--timezone)'], style.width),
    );
  }
  const levels = [...LEVELS]
    .reverse()
    .map((l) => paint[l](`${l} ${s.bySeverity[l]}`))
    .join(', ');
  const shown = s.alerts === s.alertsFound ? `${s.alerts}` : `${s.alerts} shown of ${s.alertsFound} found`;
  out.push(`  alerts     ${shown}: ${levels}`);
  const rules = s.byRule.slice(0, TOP_RULES).map(([rule, n]) => `${terminalText(rule)} ${n}`);
  const rest = s.byRule.slice(TOP_RULES).reduce((sum, [, n]) => sum + n, 0);
  if (rest > 0) rules.push(`other rules ${rest}`);
  if (rules.length > 0) out.push(...wrap('  by rule    ', rules, style.width));
  // first and last finding, UTC like every time here
  for (const h of s.hosts)
    out.push(
      `  host       ${terminalText(h.host)}: ${h.alerts} alert(s), ${shortTime(h.first)} … ${shortTime(h.last)}`,
    );
  return out;
}

/** A zone's name as the summary shows it: IANA's are under 40 characters; an ECS document's own may be anything. */
const shortened = (zone: string): string => (zone.length > 40 ? `${zone.slice(0, 39)}…` : zone);

/** `head` then the items joined by `, `, wrapped under the head to `width` columns (none: one line). */
function wrap(head: string, items: readonly string[], width?: number): string[] {
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  items.forEach((item, i) => {
    const text = i < items.length - 1 ? `${item},` : item;
    const next = line === head || line === indent ? line + text : `${line} ${text}`;
    if (width !== undefined && displayWidth(next) > width && line !== head && line !== indent) {
      lines.push(line);
      line = indent + text;
    } else line = next;
  });
  lines.push(line);
  return lines;
}
