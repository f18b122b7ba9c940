import type { Alert } from '../../domain/alert';
import type { Level } from '../../domain/rule';
import { terminalText } from '../../observability/terminal-text';
import { alertRow, shortTime } from './alert-row';
import { displayWidth, fitWidth, padWidth, severityPaint, type TerminalStyle } from './terminal-style';

const HEADER = ['time (UTC)', 'severity', 'rule', 'host', 'n', 'subject'] as const;
/** the narrowest rule and host columns get before the subject gives up its room */
const MIN_NAME = 16;
const MIN_SUBJECT = 16;
const GAP = 2;

/**
 * The alert timeline for people: one row per alert, coloured by severity on a terminal, columns fitted to
 * its width (the subject is cut with `…` last; rule and host give up room first down to 16 columns).
 * Every cell is attacker text passed through terminalText: a log line cannot move the cursor, change
 * colours or forge a row. Rows are written as they come; widths are taken from all alerts at once.
 */
export function alertTable(alerts: readonly Alert[], style: TerminalStyle): string[] {
  const paint = severityPaint(style.color);
  const rows = alerts.map((a) => {
    const r = alertRow(a);
    const cells = [
      shortTime(r.time),
      r.severity,
      r.rule,
      r.host,
      r.count > 1 ? `×${r.count}` : '',
      r.subject,
    ].map(terminalText);
    return { level: r.severity as Level, cells };
  });
  const widths = HEADER.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r.cells[i]!))),
  );
  fit(widths, style.width);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? fitWidth(c, widths[i]!) : padWidth(fitWidth(c, widths[i]!), widths[i]!),
      )
      .join(' '.repeat(GAP))
      .trimEnd();
  const header = style.color ? `\u001b[1m${line(HEADER)}\u001b[22m` : line(HEADER);
  return [header, ...rows.map((r) => (paint[r.level] ?? paint.informational)(line(r.cells)))];
}

/**
 * Fits the row into `total` columns: the subject takes what the other columns leave; when that is under
 * MIN_SUBJECT, the rule column and then the host column shrink (not below MIN_NAME) to make room.
 */
function fit(widths: number[], total: number | undefined): void {
  if (total === undefined) return;
  const subject = widths.length - 1;
  const others = () => widths.slice(0, subject).reduce((a, b) => a + b, 0) + GAP * subject;
  const want = Math.min(widths[subject]!, MIN_SUBJECT);
  for (const i of [2, 3]) {
    const short = want - (total - others());
    if (short <= 0) break;
    widths[i] = Math.max(MIN_NAME, widths[i]! - short);
  }
  widths[subject] = Math.min(widths[subject]!, Math.max(want, total - others()));
}
