import type { Alert } from '../domain/alert';
import { eventCount, timestampMs, type FieldValue, type SiemEvent } from '../domain/event';
import { EntityLedger, type EntityRecord } from './entity-ledger';
import { entityKey, findingKey, isSocketFinding, keyId, socketPlace } from './finding-key';
import { addSource, mergeRepeat, type MutableFields } from './finding-merge';
import { exactOccurrence } from './guessed-clock';
import { PIDS, sameProcessOtherPid } from './namespaced-pids';
import { applyFact, processFact, ProcessFacts } from './process-facts';

export { FINDING_FIELDS, findingId } from './finding-key';

/** An alert after folding, and whether this process has sent its finding before (create vs. update). */
export interface FoldedAlert {
  readonly alert: Alert;
  readonly isNew: boolean;
  /**
   * An entity finding taken up again from the ledger after this process had forgotten it (or was
   * restarted): its document exists, and the alert's first-occurrence fields are not this process's.
   */
  readonly resumed?: boolean;
}

export interface FolderOptions {
  /** the memory bound (oldest forgotten first) */
  readonly maxFindings?: number;
  /**
   * Forget findings a window behind their host's event time (the service: a stream without end). `scan`
   * keeps every finding until it prints them: its memory is the alerts it prints anyway.
   */
  readonly forgetBehind?: boolean;
  /** the entity findings' generations; the service keeps them on its state topic */
  readonly ledger?: EntityLedger;
}

interface EntityState {
  readonly key: string;
  readonly generation: number;
  readonly renewAfterMs: number;
}

interface Finding {
  /** what the id is the hash of (finding-key.ts findingKey): findings are found by it */
  readonly key: string;
  readonly id: string;
  readonly index: string;
  readonly fields: MutableFields;
  count: number;
  /** earliest and latest occurrence: sources report one finding out of order (auth.log now, AIDE at night) */
  start: string;
  end: string;
  readonly host: string;
  /**
   * epoch ms at which the finding's suppression slot ends (an entity finding: the slot of its latest
   * sighting; the ledger, not this memory, keeps it open for renew-after)
   */
  slotEnd: number;
  /** an entity finding's key and generation (finding-key.ts entityKey) */
  readonly entity?: EntityState;
  /** taken up again from the ledger (FoldedAlert.resumed) */
  readonly resumed?: boolean;
  /** `host|pid` of a socket finding, and of each other pid it was seen under: their process facts complete it */
  readonly processes: string[];
  /** a socket finding's place (finding-key.ts socketPlace), and the keys of its alerts under other pids */
  readonly place?: string;
  readonly aliases: string[];
}

/** Findings are swept for ones past their slot every this many folded alerts. */
const SWEEP_EVERY = 1_000;

/**
 * Folds repeats of one finding into one alert with a count (the key: finding-key.ts). The first occurrence
 * opens the alert (its time and raw record are the alert's); later ones raise `tuxwatch.alert.count`, move
 * `event.end` (an alert on an event standing for N occurrences, `tuxwatch.event.count`, counts N), and add what they knew that it lacked (finding-merge.ts): lsof's user, the full program name
 * ss gives where lsof cut it. Process facts from the events of ps, lsof, ss and osquery complete socket
 * findings of the same host and pid, in whichever order they arrive (process-facts.ts), and a socket alert
 * under a pid of another namespace finds the finding of its process (namespaced-pids.ts). A finding changed
 * by a later batch is returned again (not new): the service updates its document, `scan` prints it once.
 */
export class AlertFolder {
  /** by finding key: a repeat finds its finding without hashing (ids are hashed once, when one opens) */
  private readonly findings = new Map<string, Finding>();
  /** the keys of socket findings by `host|pid`, for the process facts that arrive after them */
  private readonly byProcess = new Map<string, Set<string>>();
  /** the keys of socket findings by place, where an alert under another pid finds its process's finding */
  private readonly byPlace = new Map<string, Set<string>>();
  /** the finding key of a socket alert seen under another pid than its finding's, by the alert's key */
  private readonly aliases = new Map<string, string>();
  private readonly facts = new ProcessFacts();
  /** the latest event time seen per host: findings whose slot it has left behind take no more repeats */
  private readonly latest = new Map<string, number>();
  private readonly maxFindings: number;
  private readonly forgetBehind: boolean;
  private readonly ledger: EntityLedger;
  private sinceSweep = 0;

  /** @param windowMs 0 turns folding off */
  constructor(
    private readonly windowMs: number,
    options: FolderOptions = {},
  ) {
    this.maxFindings = options.maxFindings ?? 50_000;
    this.forgetBehind = options.forgetBehind ?? true;
    this.ledger = options.ledger ?? new EntityLedger();
  }

  /** findings held, for tests and metrics */
  get size(): number {
    return this.findings.size;
  }

  /**
   * Folds a record's (or a batch's) alerts, after learning the process facts of its events: one result per
   * finding touched, in first-seen order, with counts including earlier batches.
   */
  fold(alerts: readonly Alert[], events: readonly SiemEvent[] = []): FoldedAlert[] {
    if (this.windowMs <= 0) return alerts.map((alert) => ({ alert, isNew: true }));
    // the findings themselves, not their keys: one fold larger than the memory bound evicts its own first ones
    const touched = new Map<string, { finding: Finding; isNew: boolean }>();
    for (const event of events) this.learn(event, touched);
    // most records (a scan's every line) detect nothing and teach no process fact
    if (alerts.length === 0 && touched.size === 0) return [];
    for (const alert of alerts) {
      const at = timestampMs(String(alert.fields['@timestamp']));
      const host = String(alert.fields['host.name']);
      if (Number.isFinite(at) && at > (this.latest.get(host) ?? -Infinity)) this.latest.set(host, at);
      const { key: own, id, entity, record } = this.keyOf(alert, at, host);
      const known = this.findings.get(own) ?? this.otherPid(own, alert, host);
      const key = known?.key ?? own;
      let finding: Finding;
      if (known) {
        finding = known;
        known.count += eventCount(alert.fields);
        const time = String(alert.fields['@timestamp']);
        const first = String(known.fields['@timestamp']);
        // a copy of the first occurrence whose time was guessed (auth.log's) has no time of its own, and
        // the exact copy of a guessed first occurrence puts it where it was (guessed-clock.ts)
        const exact = known.resumed ? undefined : exactOccurrence(known.fields, alert.fields);
        if (exact === 'repeat') moveOccurrence(known, first, time);
        else if (exact === undefined) {
          if (time > known.end) known.end = time;
          if (time < known.start) known.start = time;
        }
        if (known.entity) known.slotEnd = this.slotEnd(Date.parse(known.end));
        if (exact === 'repeat' || (exact === undefined && known.entity && !known.resumed && time < first))
          takeAsFirst(known.fields, alert.fields);
        else mergeRepeat(known.fields, alert.fields);
        this.findings.delete(key); // re-inserted: Map order is recency
        this.findings.set(key, known);
        if (!touched.has(key)) touched.set(key, { finding: known, isNew: false });
      } else {
        finding = this.open(key, id ?? keyId(key), alert, at, host, entity, record);
        touched.set(key, { finding, isNew: record === undefined });
        this.evict();
      }
      if (finding.entity) this.ledger.set(host, finding.entity.key, entityRecord(finding));
    }
    const folded = [...touched.values()].map(({ finding, isNew }) => ({
      alert: snapshot(finding),
      isNew,
      ...(finding.resumed && { resumed: true }),
    }));
    this.sinceSweep += alerts.length;
    if (this.sinceSweep >= SWEEP_EVERY) this.sweep();
    return folded;
  }

  /**
   * The finding an alert belongs to, by its key; `id` when the ledger names it (a finding taken up again).
   * An entity finding's generation stays while the alert falls within renew-after of the open generation's
   * occurrences (either side: sources arrive out of order); outside it, the entities recur and the next
   * generation opens.
   */
  private keyOf(
    alert: Alert,
    at: number,
    host: string,
  ): { key: string; id?: string; entity?: EntityState; record?: EntityRecord } {
    const key = entityKey(alert);
    if (key === undefined || alert.entity === undefined)
      return { key: findingKey(alert, this.windowMs, 0, at) };
    const renewAfterMs = alert.entity.renewAfterMs;
    const record = this.ledger.get(host, key);
    if (
      record &&
      (!Number.isFinite(at) ||
        (at >= Date.parse(record.start) - renewAfterMs && at <= Date.parse(record.end) + renewAfterMs))
    )
      return {
        key: findingKey(alert, this.windowMs, record.generation),
        id: record.id,
        entity: { key, generation: record.generation, renewAfterMs },
        record,
      };
    const generation = record ? record.generation + 1 : 0;
    return {
      key: findingKey(alert, this.windowMs, generation),
      entity: { key, generation, renewAfterMs },
    };
  }

  /** Opens a finding; one the ledger still knows (`record`) continues its count, sources and time span. */
  private open(
    key: string,
    id: string,
    alert: Alert,
    at: number,
    host: string,
    entity?: EntityState,
    record?: EntityRecord,
  ): Finding {
    const fields: MutableFields = { ...(alert.fields as MutableFields) };
    if (record) {
      fields['tuxwatch.alert.sources'] = [...record.sources];
      fields['tuxwatch.alert.datasets'] = [...record.datasets];
    }
    addSource(fields, fields);
    const pid = fields['process.pid'];
    const process = isSocketFinding(fields) && typeof pid === 'number' ? `${host}|${pid}` : undefined;
    const place = socketPlace(fields);
    const time = String(alert.fields['@timestamp']);
    const start = record && record.start < time ? record.start : time;
    const end = record && record.end > time ? record.end : time;
    const slotEnd = this.slotEnd(entity ? Date.parse(end) : at);
    const count = eventCount(alert.fields) + (record?.count ?? 0);
    const finding: Finding = {
      key,
      id,
      index: record?.index ?? alert.index,
      fields,
      count,
      start,
      end,
      host,
      slotEnd,
      processes: [],
      aliases: [],
      ...(place !== undefined && { place }),
      ...(entity && { entity }),
      ...(record && { resumed: true }),
    };
    this.findings.set(key, finding);
    if (process !== undefined) this.completedBy(finding, host, pid as number);
    if (place !== undefined) addTo(this.byPlace, place, key);
    return finding;
  }

  /** The process facts of `host|pid`, known and to come, complete the socket finding. */
  private completedBy(finding: Finding, host: string, pid: number): void {
    const fact = this.facts.get(host, pid);
    if (fact) applyFact(finding.fields, fact, this.windowMs);
    const process = `${host}|${pid}`;
    finding.processes.push(process);
    addTo(this.byProcess, process, finding.key);
  }

  /**
   * The socket finding of the same process under another pid (namespaced-pids.ts), for a socket alert whose
   * own key has none; it is then the finding of every alert of that key, and that pid's facts complete it.
   */
  private otherPid(key: string, alert: Alert, host: string): Finding | undefined {
    const aliased = this.aliases.get(key);
    if (aliased !== undefined) return this.findings.get(aliased);
    const place = socketPlace(alert.fields);
    if (place === undefined) return undefined;
    for (const candidate of this.byPlace.get(place) ?? []) {
      const finding = this.findings.get(candidate);
      if (finding === undefined || !sameProcessOtherPid(finding.fields, alert.fields)) continue;
      this.aliases.set(key, finding.key);
      finding.aliases.push(key);
      const pid = alert.fields['process.pid'] as number;
      // every pid the process was seen under, the first occurrence's first: the responder's `ps` on the host
      // and in the container each show one of them
      const pids = finding.fields[PIDS] ?? [finding.fields['process.pid']!];
      finding.fields[PIDS] = [...(pids as number[]), pid];
      this.completedBy(finding, host, pid);
      return finding;
    }
    return undefined;
  }

  private slotEnd(at: number): number {
    return (Math.floor(at / this.windowMs) + 1) * this.windowMs;
  }

  /** Learns a process fact from an event and completes the socket findings of that process with it. */
  private learn(event: SiemEvent, touched: Map<string, { finding: Finding; isNew: boolean }>): void {
    const observed = processFact(event);
    if (!observed) return;
    const fact = this.facts.observe(observed, this.windowMs);
    for (const key of this.byProcess.get(`${fact.host}|${fact.pid}`) ?? []) {
      const finding = this.findings.get(key);
      if (finding && applyFact(finding.fields, fact, this.windowMs) && !touched.has(key))
        touched.set(key, { finding, isNew: false });
    }
  }

  /**
   * Forgets findings whose slot ended a whole window before the latest event time of their host: repeats
   * that late are rare, and without this a busy service holds `maxFindings` whole alerts (a gigabyte)
   * however short the window. A repeat after its finding is forgotten opens it again: the same id, so it
   * is written as a create, answered 409 — not doubled, only not counted. An entity finding is forgotten
   * the same way; its ledger record (a few hundred bytes) takes the next sighting back to the same alert,
   * count and sources continued (resumed).
   */
  private sweep(): void {
    this.sinceSweep = 0;
    if (!this.forgetBehind) return;
    for (const [key, f] of this.findings) {
      if (f.slotEnd + this.windowMs <= (this.latest.get(f.host) ?? -Infinity)) this.forget(key, f);
    }
    for (const [host, t] of this.latest) this.facts.forgetBefore(host, t - 2 * this.windowMs);
  }

  private evict(): void {
    while (this.findings.size > this.maxFindings) {
      const oldest = this.findings.entries().next();
      if (oldest.done) return;
      this.forget(...oldest.value);
    }
  }

  private forget(key: string, finding: Finding): void {
    this.findings.delete(key);
    for (const process of finding.processes) removeFrom(this.byProcess, process, key);
    if (finding.place !== undefined) removeFrom(this.byPlace, finding.place, key);
    for (const alias of finding.aliases) this.aliases.delete(alias);
  }
}

/**
 * An occurrence becomes the alert's first, with its time and raw record, and everything the one it
 * replaces knew is kept: an entity finding's earlier occurrence (sources arrive in any order: a collect
 * sweep's file before the auth.log it follows), or the exact copy of a first occurrence whose time was
 * guessed. A resumed finding's first occurrence is in its document, not here: it keeps the order of arrival.
 */
function takeAsFirst(held: MutableFields, first: Readonly<Record<string, FieldValue>>): void {
  const replaced = { ...held };
  for (const name of Object.keys(held)) delete held[name];
  Object.assign(held, first);
  held['tuxwatch.alert.sources'] = replaced['tuxwatch.alert.sources'] ?? [];
  held['tuxwatch.alert.datasets'] = replaced['tuxwatch.alert.datasets'] ?? [];
  addSource(held, first);
  mergeRepeat(held, replaced);
}

/** The finding's span once the occurrence at `from` is known to be at `to`. */
function moveOccurrence(f: Finding, from: string, to: string): void {
  const start = f.start === from ? to : f.start;
  const end = f.end === from ? to : f.end;
  f.start = start < to ? start : to;
  f.end = end > to ? end : to;
}

/** What the ledger keeps of an entity finding. */
function entityRecord(f: Finding): EntityRecord {
  const list = (name: string): string[] =>
    ((f.fields[name] as readonly unknown[] | undefined) ?? []).filter(
      (v): v is string => typeof v === 'string',
    );
  return {
    generation: f.entity!.generation,
    id: f.id,
    index: f.index,
    start: f.start,
    end: f.end,
    count: f.count,
    sources: list('tuxwatch.alert.sources'),
    datasets: list('tuxwatch.alert.datasets'),
  };
}

/** The folded alert as it stands: its first occurrence, what repeats added, the count and the time span. */
function snapshot(f: Finding): Alert {
  return {
    id: f.id,
    index: f.index,
    fields: {
      ...f.fields,
      'event.start': f.start,
      'event.end': f.end,
      'tuxwatch.alert.count': f.count,
    },
  };
}

function addTo(index: Map<string, Set<string>>, at: string, key: string): void {
  const keys = index.get(at);
  if (keys) keys.add(key);
  else index.set(at, new Set([key]));
}

function removeFrom(index: Map<string, Set<string>>, at: string, key: string): void {
  const keys = index.get(at);
  keys?.delete(key);
  if (keys?.size === 0) index.delete(at);
}
