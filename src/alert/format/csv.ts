import { stringify } from 'csv-stringify/sync';
import type { Alert } from '../../domain/alert';

/**
 * The CSV columns, fixed whatever the alerts carry, so a spreadsheet or Timeline Explorer sees the same
 * layout run after run. ECS names, as in the NDJSON output; arrays are joined with `;`.
 */
export const CSV_COLUMNS = [
  '@timestamp',
  'event.end',
  'tuxwatch.severity',
  'event.severity',
  'rule.id',
  'rule.name',
  'host.name',
  'tuxwatch.alert.count',
  'user.name',
  'user.target.name',
  'group.name',
  'file.path',
  'file.mode',
  'process.name',
  'process.pid',
  'process.executable',
  'process.command_line',
  'server.ip',
  'server.port',
  'source.ip',
  'destination.ip',
  'destination.port',
  'threat.technique.id',
  'tuxwatch.alert.sources',
  'event.original',
  'event.id',
] as const;

/**
 * Alerts as RFC 4180 CSV (csv-stringify): a header row, then one row per alert; CRLF line ends, every field
 * with a comma, quote or line break quoted, quotes doubled. A cell that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` — log lines are attacker text
 * (OWASP "CSV injection"); numbers are written as numbers and never prefixed.
 */
export class CsvWriter {
  private headerWritten = false;

  constructor(private readonly write: (text: string) => void) {}

  writeAlert(alert: Alert): void {
    const rows: string[][] = [];
    if (!this.headerWritten) {
      rows.push([...CSV_COLUMNS]);
      this.headerWritten = true;
    }
    const fields: Record<string, unknown> = { ...alert.fields, 'event.id': alert.id };
    rows.push(CSV_COLUMNS.map((name) => cell(fields[name])));
    this.write(stringify(rows, { record_delimiter: 'windows', quoted_match: /^[ \t]|[ \t]$/ }));
  }

  /** a header even when there is no alert: the file is still a valid table */
  end(): void {
    if (!this.headerWritten) this.write(stringify([[...CSV_COLUMNS]], { record_delimiter: 'windows' }));
    this.headerWritten = true;
  }
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
