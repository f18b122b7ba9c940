import type { Logger } from '../observability/logger';
import type { PipelineMetrics } from '../observability/metrics';
import type { RetryControl } from '../retry/retry-control';

/**
 * The most a host's snapshot may take. State messages are created with room for 8 MiB, but a state topic
 * made by hand has the broker's 1 MB default: a snapshot over it would never be written.
 */
export const MAX_SNAPSHOT_BYTES = 900 * 1024;

/** Per-host memory that can be handed to another process as one JSON document per host. */
export interface HostMemory {
  /** the host's memory as JSON, or undefined when it has none; within `maxBytes` where it can trim itself */
  snapshot(host: string, maxBytes?: number): string | undefined;
  /** replaces the host's memory with a snapshot; throws on a document that is not one */
  restore(host: string, json: string): void;
  /** forgets the host */
  drop(host: string): void;
}

/** One entry of the state log: `<memory>/<host>` → snapshot (null: the host has none any more). */
export interface StateEntry {
  readonly key: string;
  readonly value: string | null;
}

/** Where snapshots live: a compacted log with one partition per input partition number. */
export interface StateLog {
  /** the latest entry per key in the partitions, each with the partition it came from */
  read(partitions: readonly number[]): Promise<(StateEntry & { readonly partition: number })[]>;
  /** resolves once every entry is durably written; waits out an outage under `control` */
  write(partition: number, entries: readonly StateEntry[], control: RetryControl): Promise<void>;
}

/** A chunk's host snapshots, taken when it ran, written once its alerts are indexed. */
export interface StateWrite {
  readonly partition: number;
  readonly entries: readonly StateEntry[];
  /** the change count of each host at the claim */
  readonly versions: ReadonlyMap<string, number>;
}

/** Hosts whose memory changed since the last look: the memories' change callback feeds it. */
export class ChangedHosts {
  private readonly hosts = new Set<string>();

  readonly mark = (host: string): void => void this.hosts.add(host);

  /** the hosts marked so far; the set starts empty again */
  take(): string[] {
    const out = [...this.hosts];
    this.hosts.clear();
    return out;
  }
}

/**
 * Keeps the per-host memories (enrichment state, correlation windows) in step with the partitions this
 * process owns, so a restart or a rebalance neither forgets a baseline nor fires a "new" alert twice.
 *
 * A host belongs to the input partition number its records arrive on (keyed by host, CONTRACT §4); the
 * host-affinity assignor gives that number of every input topic to one consumer. Its snapshots are
 * written to the same partition number of the state log after the records that changed it are indexed
 * and before their offsets are committed, so the log is never behind the committed offsets. On
 * assignment a gained partition is read back before any of its records is processed; a lost one is
 * forgotten. The log can be ahead of the committed offsets (a crash between the two acknowledgements):
 * a replayed record then meets state that already saw it, so a "new" fact is not new again (its alert was
 * indexed the first time) — the direction that never doubles an alert.
 */
export class HostStateSync {
  private readonly hostPartition = new Map<string, number>();
  /** per partition, hosts whose latest change is not written yet, with a count of their changes */
  private readonly pending = new Map<number, Map<string, number>>();
  private owned = new Set<number>();
  private readonly restoring = new Map<number, Promise<void>>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly memories: Readonly<Record<string, HostMemory>>,
    private readonly changed: ChangedHosts,
    private readonly log: StateLog,
    private readonly logger: Logger,
    private readonly options: { readonly retryMs?: number; readonly metrics?: PipelineMetrics } = {},
  ) {
    for (const name of Object.keys(memories))
      if (name.includes('/')) throw new Error(`memory name "${name}" must not contain "/"`);
  }

  /**
   * A new assignment (partition numbers). Lost partitions' hosts are forgotten; gained ones are read back
   * before their records are processed (`ready`). Returns the gained partitions: work a process kept for
   * them describes memory it no longer has.
   */
  assign(partitions: readonly number[]): number[] {
    const next = new Set(partitions);
    const lost = [...this.owned].filter((p) => !next.has(p));
    const gained = [...next].filter((p) => !this.owned.has(p));
    this.owned = next;
    this.forget(lost);
    if (gained.length > 0) {
      const restore = (this.chain = this.chain.then(() => this.restore(gained)));
      for (const p of gained) this.restoring.set(p, restore);
    }
    return gained;
  }

  /** After a consumer restart nothing is known to be current: every partition is read again on the next join. */
  reset(): void {
    this.forget([...this.owned]);
    this.owned = new Set();
  }

  /** Resolves once the partition's hosts are restored. */
  ready(partition: number): Promise<void> {
    return this.restoring.get(partition) ?? Promise.resolve();
  }

  /**
   * Called right after a chunk of the partition ran through the pipeline (synchronously, so no other
   * chunk's changes are mixed in): the hosts it changed belong to the partition. Returns the snapshots to
   * write once the chunk's alerts are indexed — taken now, so a next chunk run meanwhile is not in them —
   * covering every host of the partition not written yet (also those of a chunk whose write failed).
   */
  claim(partition: number): StateWrite {
    for (const host of this.changed.take()) {
      this.hostPartition.set(host, partition);
      this.owe(partition, host);
    }
    const owed = this.pending.get(partition);
    const entries: StateEntry[] = [];
    for (const host of owed?.keys() ?? []) {
      for (const [name, memory] of Object.entries(this.memories))
        entries.push({ key: `${name}/${host}`, value: this.snapshot(name, memory, host) });
    }
    return { partition, entries, versions: new Map(owed) };
  }

  /** Changes made outside a chunk (the service's own health events) go with the host's known partition. */
  claimKnown(): void {
    for (const host of this.changed.take()) {
      const partition = this.hostPartition.get(host);
      if (partition !== undefined && this.owned.has(partition)) this.owe(partition, host);
    }
  }

  /** Writes a chunk's snapshots; call after its alerts are indexed, before its commit. */
  async write({ partition, entries, versions }: StateWrite, control: RetryControl): Promise<void> {
    if (entries.length === 0) return;
    await this.log.write(partition, entries, control);
    // written as they were at the claim: hosts changed since stay owed to the next write
    const owed = this.pending.get(partition);
    for (const [host, version] of versions) if (owed?.get(host) === version) owed.delete(host);
    this.options.metrics?.stateWrites.inc(entries.length);
    this.options.metrics?.stateHosts.set(this.hostPartition.size);
  }

  /** hosts whose memory is held, for metrics and tests */
  get hosts(): number {
    return this.hostPartition.size;
  }

  /**
   * A memory that cannot trim itself below the cap is not persisted for that host (logged): a successor
   * then starts the host from nothing — it misses what is new, it never reports the old as new.
   */
  private snapshot(name: string, memory: HostMemory, host: string): string | null {
    const json = memory.snapshot(host, MAX_SNAPSHOT_BYTES);
    if (json === undefined) return null;
    const bytes = Buffer.byteLength(json);
    if (bytes <= MAX_SNAPSHOT_BYTES) return json;
    this.logger.error(
      { host, memory: name, bytes, limit: MAX_SNAPSHOT_BYTES },
      'host state too large to persist; a restart or a rebalance forgets it',
    );
    return null;
  }

  private owe(partition: number, host: string): void {
    let owed = this.pending.get(partition);
    if (!owed) this.pending.set(partition, (owed = new Map()));
    owed.set(host, (owed.get(host) ?? 0) + 1);
  }

  private forget(partitions: readonly number[]): void {
    if (partitions.length === 0) return;
    const gone = new Set(partitions);
    for (const [host, partition] of this.hostPartition) {
      if (!gone.has(partition)) continue;
      for (const memory of Object.values(this.memories)) memory.drop(host);
      this.hostPartition.delete(host);
    }
    for (const p of partitions) {
      this.pending.delete(p);
      this.restoring.delete(p);
    }
  }

  /** Reads the partitions back, retrying until it succeeds or the partitions are no longer ours. */
  private async restore(partitions: readonly number[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const wanted = partitions.filter((p) => this.owned.has(p));
      if (wanted.length === 0) return;
      try {
        const started = Date.now();
        const entries = await this.log.read(wanted);
        this.apply(entries.filter((e) => this.owned.has(e.partition)));
        this.options.metrics?.stateRestoreSeconds.observe((Date.now() - started) / 1000);
        this.options.metrics?.stateHosts.set(this.hostPartition.size);
        this.logger.info(
          { partitions: wanted, entries: entries.length, ms: Date.now() - started },
          'host state restored',
        );
        return;
      } catch (e) {
        this.logger.warn(
          { partitions: wanted, attempt, err: (e as Error).message },
          'host state could not be read; records of these partitions wait',
        );
        const retryMs = this.options.retryMs ?? 2_000;
        await new Promise((r) => setTimeout(r, Math.min(retryMs * attempt, 30_000)));
      }
    }
  }

  private apply(entries: readonly (StateEntry & { readonly partition: number })[]): void {
    for (const { key, value, partition } of entries) {
      const slash = key.indexOf('/');
      const name = key.slice(0, slash);
      const host = key.slice(slash + 1);
      const memory = slash > 0 && Object.hasOwn(this.memories, name) ? this.memories[name] : undefined;
      if (!memory) {
        this.logger.warn({ key, partition }, 'state entry of an unknown kind ignored');
        continue;
      }
      try {
        if (value === null) memory.drop(host);
        else memory.restore(host, value);
        this.hostPartition.set(host, partition);
      } catch (e) {
        // one bad document costs that host's memory, not the partition's
        this.logger.error({ host, key, partition, err: (e as Error).message }, 'state entry ignored');
      }
    }
  }
}
