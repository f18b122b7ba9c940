import type { Alert } from '../domain/alert';
import type { SiemEvent } from '../domain/event';
import { addTally, tallyEvent, type EventTally } from './event-tally';
import { LEVELS, type Level } from '../domain/rule';

/** Why a file met in a directory walk was passed over: it is not evidence (a README, a manifest). */
export const NOT_EVIDENCE = 'no parser recognises its first record';

/** A file the scan did not read, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

export interface HostSummary {
  readonly host: string;
  readonly alerts: number;
  /** `@timestamp` of its first and last finding */
  readonly first: string;
  readonly last: string;
}

/** What a scan read and found: the summary printed at its end and heading the HTML report. */
export interface ScanSummary {
  readonly files: number;
  readonly skipped: readonly SkippedFile[];
  /** inputs that were evidence but could not be read: the exit status is then 2 */
  readonly unreadable: number;
  readonly records: number;
  readonly events: number;
  readonly deadLettered: number;
  /** dead letters per reason (the reason up to its first colon) */
  readonly deadLetterReasons: ReadonlyMap<string, number>;
  /** the evidence's time span: the first and last event time, UTC ISO */
  readonly firstEvent?: string;
  readonly lastEvent?: string;
  /**
   * events whose time had no offset of its own and was read in a zone (`--timezone`, or one the record
   * named), by zone, most first: a forgotten `--timezone` puts them hours off the rest of the timeline
   */
  readonly zones: readonly (readonly [string, number])[];
  /** alerts shown (after filters), and before filters */
  readonly alerts: number;
  readonly alertsFound: number;
  readonly bySeverity: Readonly<Record<Level, number>>;
  /** rule id -> alerts, most first */
  readonly byRule: readonly (readonly [string, number])[];
  readonly hosts: readonly HostSummary[];
}

/** Counts what the scan reads, record by record, and what it shows; `summary()` freezes them. */
export class ScanCounter {
  files = 0;
  records = 0;
  deadLettered = 0;
  unreadable = 0;
  readonly skipped: SkippedFile[] = [];
  private readonly reasons = new Map<string, number>();
  private readonly tally: EventTally = { events: 0 };

  /** An event the stages after parse saw. */
  event(event: SiemEvent): void {
    tallyEvent(this.tally, event);
  }

  /** Events a parse worker only counted. */
  unseen(tally: EventTally): void {
    addTally(this.tally, tally);
  }

  deadLetter(reason: string): void {
    this.deadLettered++;
    const kind = reasonKind(reason);
    this.reasons.set(kind, (this.reasons.get(kind) ?? 0) + 1);
  }

  summary(shown: readonly Alert[], found: number): ScanSummary {
    const bySeverity = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
    const byRule = new Map<string, number>();
    const hosts = new Map<string, { alerts: number; first: string; last: string }>();
    for (const alert of shown) {
      const f = alert.fields;
      const level = String(f['tuxwatch.severity']) as Level;
      if (level in bySeverity) bySeverity[level]++;
      const rule = String(f['rule.id']);
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      const host = String(f['host.name']);
      const at = String(f['@timestamp']);
      const end = String(f['event.end'] ?? at);
      const h = hosts.get(host);
      if (!h) hosts.set(host, { alerts: 1, first: at, last: end });
      else {
        h.alerts++;
        if (at < h.first) h.first = at;
        if (end > h.last) h.last = end;
      }
    }
    return {
      files: this.files,
      skipped: [...this.skipped],
      unreadable: this.unreadable,
      records: this.records,
      events: this.tally.events,
      deadLettered: this.deadLettered,
      deadLetterReasons: new Map(this.reasons),
      ...(this.tally.first !== undefined && { firstEvent: this.tally.first, lastEvent: this.tally.last }),
      zones: Object.entries(this.tally.zones ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      alerts: shown.length,
      alertsFound: found,
      bySeverity,
      byRule: [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
      hosts: [...hosts].map(([host, h]) => ({ host, ...h })).sort((a, b) => a.host.localeCompare(b.host)),
    };
  }
}

/**
 * What the summary counts a dead letter's reason as: the reason without its detail (what follows `: `) and
 * without what differs from record to record — a record's size, a line number, a value quoted from the record.
 * Counted by whole reasons, 20 lines of different lengths over the size limit were 20 entries of the summary
 * (one per size: the summary line and the counter grew with the number of such records). A value quoted from
 * a record is taken out too, so that no reason worded that way can count each record apart.
 */
export function reasonKind(reason: string): string {
  const kind = reason
    .replace(/^line \d+: /, '')
    .replace(/"[^"]*"/g, '"…"')
    .split(': ')[0]!
    .replace(/^record of \d+ bytes exceeds the limit of (\d+)$/, 'record over the limit of $1 bytes')
    .replace(/\bline \d+\b/g, 'a line');
  return kind.length > MAX_REASON_KIND ? `${kind.slice(0, MAX_REASON_KIND)}…` : kind;
}

const MAX_REASON_KIND = 120;
