import type { Writable } from 'node:stream';
import type { Alert } from '../../domain/alert';
import type { SiemEvent } from '../../domain/event';
import { toNested } from '../../domain/event';
import { terminalText } from '../../observability/terminal-text';

export type OutputFormat = 'ndjson' | 'table';

/** Alerts (or events) to a stream: NDJSON documents as Elasticsearch would store them, or a table for people. */
export class StdoutSink {
  private headerWritten = false;

  constructor(
    private readonly out: Writable,
    private readonly format: OutputFormat,
  ) {}

  writeAlert(alert: Alert): void {
    if (this.format === 'ndjson') {
      this.out.write(JSON.stringify(toNested({ ...alert.fields, 'event.id': alert.id })) + '\n');
      return;
    }
    if (!this.headerWritten) {
      this.out.write(row(['@timestamp', 'severity', 'rule.id', 'host.name', 'subject']) + '\n');
      this.headerWritten = true;
    }
    const f = alert.fields;
    this.out.write(
      row([
        String(f['@timestamp']),
        String(f['tuxwatch.severity']),
        String(f['rule.id']),
        String(f['host.name']),
        subject(f),
      ]) + '\n',
    );
  }

  writeEvent(event: SiemEvent): void {
    this.out.write(JSON.stringify(toNested(event)) + '\n');
  }
}

const WIDTHS = [24, 13, 28, 16];
/** One table row; every cell is evidence (attacker-chosen), so it is escaped before a terminal sees it. */
const row = (cells: string[]): string =>
  cells.map((c, i) => (WIDTHS[i] ? terminalText(c).padEnd(WIDTHS[i]!) : terminalText(c))).join(' ');

/** What the alert is about, in one cell: the first entity field it carries. */
function subject(f: Alert['fields']): string {
  const parts: string[] = [];
  for (const name of [
    'user.target.name',
    'user.name',
    'group.name',
    'file.path',
    'process.name',
    'server.port',
    'destination.ip',
    'destination.port',
    'source.ip',
  ]) {
    const v = f[name];
    if (v !== undefined && v !== null) parts.push(`${name}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  }
  return parts.slice(0, 3).join(' ');
}
