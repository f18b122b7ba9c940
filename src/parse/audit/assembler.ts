import type { AuditRecord } from './audit-line';
import { isLastRecordType } from './record-types';

/** The records of one audit event, in arrival order, each with what the caller tagged it with. */
export interface AssembledEvent<Tag> {
  readonly host: string;
  readonly records: readonly AuditRecord[];
  readonly tags: readonly Tag[];
  /** how it ended: its last record or EOE, a later record showing it over, a limit, or the end of input */
  readonly end: 'last-record' | 'later-record' | 'limit' | 'flush';
}

export interface AssemblerLimits {
  /** events waiting for more records; past this the oldest is reported as it is */
  readonly maxPendingEvents: number;
  /** records of one event (EXECVE of a long argument list comes as several records); past this it is reported */
  readonly maxRecordsPerEvent: number;
  /**
   * An event is over once a record of its host is this much later in event time: auditd's own
   * end_of_event_timeout (2 s), which auparse and ausearch apply to events with no closing record.
   */
  readonly endOfEventMs: number;
  /** …or once this many records of other events have arrived after its last one (a host gone quiet) */
  readonly quietRecords: number;
}

export const DEFAULT_ASSEMBLER_LIMITS: AssemblerLimits = {
  maxPendingEvents: 4_096,
  maxRecordsPerEvent: 2_048,
  endOfEventMs: 2_000,
  quietRecords: 10_000,
};

interface Pending<Tag> {
  readonly host: string;
  readonly time: number;
  readonly records: AuditRecord[];
  readonly tags: Tag[];
  /** arrival number of the latest record */
  last: number;
}

/**
 * Groups audit records into events. Records belong together when host and `msg=audit(TIME:SERIAL)` are
 * equal; events of several processes interleave, and a record may arrive after records of later events
 * (web02's audit.log has a PROCTITLE after the next event's records). An event is complete when a record
 * of a closing type arrives (PROCTITLE, one-record types), at EOE, when a record of the same host is at
 * least `endOfEventMs` later, or when `quietRecords` other records have come since its last one; limits
 * report the oldest event early, and `flush` reports what is left at the end of input. Pure apart from its
 * own bounded memory: the same records in the same order always make the same events.
 */
export class AuditAssembler<Tag> {
  private readonly pending = new Map<string, Pending<Tag>>();
  private arrivals = 0;

  constructor(private readonly limits: AssemblerLimits = DEFAULT_ASSEMBLER_LIMITS) {}

  /** Adds a record; returns the events it completed (oldest first). */
  add(record: AuditRecord, host: string, tag: Tag): AssembledEvent<Tag>[] {
    const done: AssembledEvent<Tag>[] = [];
    const n = ++this.arrivals;
    const key = `${host}\u0000${record.id}`;
    if (record.type === 'EOE') {
      // EOE closes its event and is not part of it; a lone EOE (its event already closed) is dropped
      const open = this.pending.get(key);
      if (open) done.push(this.complete(key, open, 'last-record'));
    } else {
      let event = this.pending.get(key);
      if (!event) {
        event = { host, time: record.time, records: [], tags: [], last: n };
        this.pending.set(key, event);
      }
      event.records.push(record);
      event.tags.push(tag);
      event.last = n;
      if (isLastRecordType(record.typeNumber)) done.push(this.complete(key, event, 'last-record'));
      else if (event.records.length >= this.limits.maxRecordsPerEvent)
        done.push(this.complete(key, event, 'limit'));
    }
    this.sweep(host, record.time, n, done);
    return done;
  }

  /** Reports every event still open (end of input). */
  flush(): AssembledEvent<Tag>[] {
    const done: AssembledEvent<Tag>[] = [];
    for (const [key, event] of this.pending) done.push(this.complete(key, event, 'flush'));
    return done;
  }

  /** The tag of the first record of the oldest open event: nothing before it is still needed. */
  oldestPendingTag(): Tag | undefined {
    for (const event of this.pending.values()) return event.tags[0];
    return undefined;
  }

  /** events open */
  get size(): number {
    return this.pending.size;
  }

  private sweep(host: string, time: number, n: number, done: AssembledEvent<Tag>[]): void {
    for (const [key, event] of this.pending) {
      const later = event.host === host && time - event.time >= this.limits.endOfEventMs;
      if (later || n - event.last > this.limits.quietRecords)
        done.push(this.complete(key, event, 'later-record'));
    }
    while (this.pending.size > this.limits.maxPendingEvents) {
      const [key, event] = this.pending.entries().next().value as [string, Pending<Tag>];
      done.push(this.complete(key, event, 'limit'));
    }
  }

  private complete(key: string, event: Pending<Tag>, end: AssembledEvent<Tag>['end']): AssembledEvent<Tag> {
    this.pending.delete(key);
    return { host: event.host, records: event.records, tags: event.tags, end };
  }
}
