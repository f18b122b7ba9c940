import type { FoldedAlert } from '../alert/alert-folder';
import type { RecordOrigin } from '../domain/raw-record';
import { AuditStream } from '../parse/audit/audit-stream';
import type { RecordOutcome } from '../pipeline/detection-pipeline';

/** What one record did in this process's stateful stages: the pipeline's outcome and its folded alerts. */
export interface RecordWork {
  readonly outcome: RecordOutcome;
  readonly folded: readonly FoldedAlert[];
}

/**
 * The work of records this process has run through its stateful stages (enrichment state, correlation
 * windows, alert folding) but not committed yet, by topic, partition and offset.
 *
 * A chunk given up before its commit (a rebalance or a lost membership while Elasticsearch was failing, a
 * consumer restart after a broker failure) is delivered again from the committed offset, usually to the
 * same process. Running its records through the pipeline a second time would count them twice: correlation
 * windows fire on the duplicates (alerts a single pass never raises, others missed) and fold counts grow.
 * The first pass's work is reused instead, so the replay writes exactly what the first pass would have.
 * Work is dropped once its offset is committed, and for partitions a rebalance gives to someone else.
 *
 * An audit event's records may lie in several messages and chunks (auditd writes one record per line), so
 * each partition also has its audit stream: the events still open there hold records that are not
 * committed (`heldFrom`), and the stream goes with the partition's other work.
 */
export class UncommittedWork {
  private readonly partitions = new Map<string, Map<string, RecordWork>>();
  private readonly audit = new Map<string, AuditStream<RecordOrigin>>();

  get(topic: string, partition: number, offset: string): RecordWork | undefined {
    return this.partitions.get(key(topic, partition))?.get(offset);
  }

  set(topic: string, partition: number, offset: string, work: RecordWork): void {
    const k = key(topic, partition);
    let offsets = this.partitions.get(k);
    if (!offsets) {
      offsets = new Map();
      this.partitions.set(k, offsets);
    }
    offsets.set(offset, work);
  }

  /** The partition's audit stream: where its audit records are grouped into events. */
  auditStream(topic: string, partition: number): AuditStream<RecordOrigin> {
    const k = key(topic, partition);
    let stream = this.audit.get(k);
    if (!stream) {
      stream = new AuditStream();
      this.audit.set(k, stream);
    }
    return stream;
  }

  /**
   * The offset of the first record of the partition's oldest open audit event: a commit must stay at or
   * below it, so that after a crash or a rebalance the event is read again from its start and reported once
   * (a replayed alert has the same id). Undefined when no event is open.
   */
  heldFrom(topic: string, partition: number): string | undefined {
    const origin = this.audit.get(key(topic, partition))?.oldestPending();
    return origin?.type === 'kafka' ? origin.offset : undefined;
  }

  /** Everything below `next` is committed: that work is never needed again. */
  committed(topic: string, partition: number, next: string): void {
    const k = key(topic, partition);
    const offsets = this.partitions.get(k);
    if (!offsets) return;
    const limit = BigInt(next);
    for (const offset of offsets.keys()) if (BigInt(offset) < limit) offsets.delete(offset);
    if (offsets.size === 0) this.partitions.delete(k);
  }

  /** After a rebalance: keeps only the partitions this process was assigned (topic → partitions). */
  retain(assignment: Readonly<Record<string, readonly number[]>>): void {
    const owned = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => key(topic, p))),
    );
    for (const k of this.partitions.keys()) if (!owned.has(k)) this.partitions.delete(k);
    for (const k of this.audit.keys()) if (!owned.has(k)) this.audit.delete(k);
  }

  /**
   * Forgets the partition numbers on every topic: their host state was just read back from the state
   * topic, so work done against the memory this process had before is not the work to replay.
   */
  forget(partitions: readonly number[]): void {
    const numbers = new Set(partitions);
    const gained = (k: string): boolean => numbers.has(Number(k.slice(k.lastIndexOf('\u0000') + 1)));
    for (const k of this.partitions.keys()) if (gained(k)) this.partitions.delete(k);
    // the open audit events are read again from the committed offset, which is at or below their start
    for (const k of this.audit.keys()) if (gained(k)) this.audit.delete(k);
  }

  /** records held */
  get size(): number {
    let n = 0;
    for (const offsets of this.partitions.values()) n += offsets.size;
    return n;
  }
}

const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
