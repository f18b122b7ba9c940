import { createHash } from 'node:crypto';
import type { Alert } from '../domain/alert';
import { eventCount, type FieldValue } from '../domain/event';

/**
 * What makes two alerts the same finding, besides rule and host: the entities they are about. Process ids,
 * source ports and times are left out on purpose — every retry of a brute force has new ones.
 */
export const FINDING_FIELDS = [
  'user.name',
  'user.target.name',
  'user.target.id',
  'group.name',
  'group.id',
  'file.path',
  'process.name',
  'process.executable',
  'server.ip',
  'server.port',
  'destination.ip',
  'destination.port',
  'source.ip',
  'source.domain',
] as const;

/** An alert after folding, and whether this process has sent its finding before (create vs. update). */
export interface FoldedAlert {
  readonly alert: Alert;
  readonly isNew: boolean;
}

interface Finding {
  alert: Alert;
  count: number;
  end: string;
  readonly host: string;
  /** epoch ms at which the finding's suppression slot ends */
  readonly slotEnd: number;
}

/** Findings are swept for ones past their slot every this many folded alerts. */
const SWEEP_EVERY = 1_000;

/**
 * Folds repeats of one finding inside a suppression window into one alert with a count. The window is a
 * fixed slot of event time (`@timestamp` floored to the window), so the folded alert's id — rule, host,
 * entities and slot — is the same in every process and every replay: `scan` and `serve` agree, and a
 * restarted service keeps hitting the same document. The first repeat opens the alert (its time and raw
 * record are the alert's); later ones raise `tuxwatch.alert.count` and move `event.end`. An alert on an event
 * standing for N occurrences (`tuxwatch.event.count`) counts N.
 */
export class AlertFolder {
  private readonly findings = new Map<string, Finding>();
  /** the latest event time seen per host: findings whose slot it has left behind take no more repeats */
  private readonly latest = new Map<string, number>();
  private sinceSweep = 0;

  /** @param windowMs 0 turns folding off; @param maxFindings the memory bound (oldest forgotten first) */
  constructor(
    private readonly windowMs: number,
    private readonly maxFindings = 50_000,
  ) {}

  /** findings held, for tests and metrics */
  get size(): number {
    return this.findings.size;
  }

  /** Folds a batch: one result per finding, in first-seen order, with counts including earlier batches. */
  fold(alerts: readonly Alert[]): FoldedAlert[] {
    if (this.windowMs <= 0) return alerts.map((alert) => ({ alert, isNew: true }));
    // the findings themselves, not their ids: one fold larger than the memory bound evicts its own first ones
    const touched = new Map<string, { finding: Finding; isNew: boolean }>();
    for (const alert of alerts) {
      const at = Date.parse(String(alert.fields['@timestamp']));
      const host = String(alert.fields['host.name']);
      if (Number.isFinite(at) && at > (this.latest.get(host) ?? -Infinity)) this.latest.set(host, at);
      const id = findingId(alert, this.windowMs);
      const known = this.findings.get(id);
      if (known) {
        known.count += eventCount(alert.fields);
        if (alert.fields['@timestamp']! > known.end) known.end = String(alert.fields['@timestamp']);
        this.findings.delete(id); // re-inserted: Map order is recency
        this.findings.set(id, known);
        if (!touched.has(id)) touched.set(id, { finding: known, isNew: false });
      } else {
        const slotEnd = (Math.floor(at / this.windowMs) + 1) * this.windowMs;
        const time = String(alert.fields['@timestamp']);
        const finding = {
          alert: { ...alert, id },
          count: eventCount(alert.fields),
          end: time,
          host,
          slotEnd,
        };
        this.findings.set(id, finding);
        touched.set(id, { finding, isNew: true });
        this.evict();
      }
    }
    const folded = [...touched.values()].map(({ finding: f, isNew }) => {
      const fields: Record<string, FieldValue> = {
        ...f.alert.fields,
        'event.start': String(f.alert.fields['@timestamp']),
        'event.end': f.end,
        'tuxwatch.alert.count': f.count,
      };
      return { alert: { ...f.alert, fields }, isNew };
    });
    this.sinceSweep += alerts.length;
    if (this.sinceSweep >= SWEEP_EVERY) this.sweep();
    return folded;
  }

  /**
   * Forgets findings whose slot ended a whole window before the latest event time of their host: repeats
   * that late are rare, and without this a busy service holds `maxFindings` whole alerts (a gigabyte)
   * however short the window. A repeat after its finding is forgotten opens it again: the same id, so it
   * is written as a create, answered 409 — not doubled, only not counted.
   */
  private sweep(): void {
    this.sinceSweep = 0;
    for (const [id, f] of this.findings) {
      if (f.slotEnd + this.windowMs <= (this.latest.get(f.host) ?? -Infinity)) this.findings.delete(id);
    }
  }

  private evict(): void {
    while (this.findings.size > this.maxFindings) {
      const oldest = this.findings.keys().next();
      if (oldest.done) return;
      this.findings.delete(oldest.value);
    }
  }
}

/** rule, host, entities and suppression slot, hashed: the folded alert's deterministic id. */
export function findingId(alert: Alert, windowMs: number): string {
  const f = alert.fields;
  const slot = Math.floor(Date.parse(String(f['@timestamp'])) / windowMs);
  const entities = FINDING_FIELDS.map((name) => `${name}=${JSON.stringify(f[name] ?? null)}`);
  return createHash('sha256')
    .update([f['rule.id'], f['host.name'], slot, ...entities].join('\u0000'))
    .digest('hex')
    .slice(0, 40);
}
