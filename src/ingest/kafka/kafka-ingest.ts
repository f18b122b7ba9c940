import { PartitionAssigners, type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import type { ServiceConfig } from '../../config/load-config';
import { FatalSinkError, SinkStoppedError } from '../../alert/sinks/elasticsearch.sink';
import type { Logger } from '../../observability/logger';
import type { PipelineMetrics } from '../../observability/metrics';
import type { BatchProcessor, BatchResult } from '../../serve/batch-processor';
import type { HostStateSync } from '../../serve/host-state-sync';
import type { UncommittedWork } from '../../serve/uncommitted-work';
import { HostAffinityAssigner } from './host-affinity-assigner';
import { disconnectWithin, withAdmin } from './kafka-client';

export interface KafkaIngestParts {
  readonly processor: BatchProcessor;
  readonly logger: Logger;
  readonly onFatal: (error: Error) => void;
  readonly metrics?: PipelineMetrics;
  readonly uncommitted?: UncommittedWork;
  /** per-host state that follows the partitions: restored before a gained partition is processed */
  readonly state?: HostStateSync;
}

/**
 * The consumer group on the configured topics. Offsets are resolved and committed by hand, chunk by chunk
 * in order, each only after the chunk's alerts, dead letters and host state are acknowledged: kafkajs'
 * auto-resolve would commit a whole batch even when its handler gave up halfway.
 */
export class KafkaIngest {
  private readonly consumer: Consumer;
  private joined = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ServiceConfig,
    private readonly parts: KafkaIngestParts,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.kafka.groupId,
      sessionTimeout: config.kafka.sessionTimeoutMs,
      // a third of the session at most, so two lost heartbeats do not cost the membership
      heartbeatInterval: Math.min(3_000, Math.floor(config.kafka.sessionTimeoutMs / 3)),
      // A host's partition number on every input topic, and on the state topic, belongs to one member.
      // Round robin stays second choice so members of an older version (which speak only that) can still
      // share a group during a rolling upgrade; the broker picks host affinity once every member speaks it.
      partitionAssigners: [HostAffinityAssigner, PartitionAssigners.roundRobin],
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      this.joined = true;
      const assignment = e.payload.memberAssignment;
      // partitions now someone else's are read by them: work kept for a replay here is moot
      this.parts.uncommitted?.retain(assignment);
      const gained = this.parts.state?.assign([...new Set(Object.values(assignment).flat())]) ?? [];
      this.parts.uncommitted?.forget(gained);
      this.parts.logger.info({ assignment }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.joined = false;
      // another member may have run these partitions meanwhile: their state is read again on rejoining
      this.parts.state?.reset();
      const { error, restart } = e.payload;
      this.parts.logger.error({ err: error.message, restart }, 'consumer crashed');
      // kafkajs gives up on errors it deems permanent: a consumer that is not coming back is a dead service
      if (!restart) this.parts.onFatal(new Error(`Kafka consumer stopped for good: ${error.message}`));
    });
  }

  get isJoined(): boolean {
    return this.joined;
  }

  /** Creates missing input and dead-letter topics (before anything sized after them). */
  async ensureTopics(): Promise<void> {
    await withAdmin(this.kafka, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const wanted = [...this.config.kafka.topics, this.config.kafka.deadLetterTopic].filter(
        (t) => !existing.has(t),
      );
      if (wanted.length) {
        await admin.createTopics({ topics: wanted.map((topic) => ({ topic })), waitForLeaders: true });
        this.parts.logger.info({ topics: wanted }, 'created missing topics');
      }
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // A new group starts from the earliest offset: evidence already on the topics is not skipped.
    await this.consumer.subscribe({ topics: this.config.kafka.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // partitions overlap their Elasticsearch round trips; each partition's records still go in order, and
      // parsing and matching are synchronous, so two chunks never interleave inside the pipeline
      partitionsConsumedConcurrently: 4,
      eachBatch: (p) => this.onBatch(p),
    });
  }

  /** Stops fetching, lets the chunk in flight finish or give up, then leaves the group within a deadline. */
  async stop(deadlineMs = 20_000): Promise<void> {
    await disconnectWithin(this.consumer, deadlineMs);
  }

  private async onBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const size = this.config.batchSize;
    const shouldContinue = (): boolean => isRunning() && !isStale();
    if (!(await this.restored(partition, heartbeat, shouldContinue))) return;
    // While one chunk is being acknowledged (Elasticsearch, dead letters, host state: round trips), the
    // next one runs through the pipeline; chunks are acknowledged and committed in order.
    let inFlight:
      { readonly done: Promise<BatchResult>; readonly last: string; readonly next: string } | undefined;
    const settle = async (): Promise<boolean> => {
      if (!inFlight) return true;
      const { done, last, next } = inFlight;
      inFlight = undefined;
      try {
        const result = await done;
        this.parts.logger.debug({ topic, partition, ...result }, 'chunk done');
      } catch (e) {
        if (e instanceof SinkStoppedError) return false;
        if (e instanceof FatalSinkError) {
          this.parts.onFatal(e);
          return false;
        }
        throw e;
      }
      // taken from this member meanwhile: its new owner reads the chunk again (same alert ids, no doubles)
      if (isStale()) return false;
      await this.commit(topic, partition, next, { isRunning, commitOffsetsIfNecessary });
      // fetching goes on past the chunk even when the commit stays behind it (an open audit event)
      resolveOffset(last);
      const lag = BigInt(batch.highWatermark) - BigInt(last) - 1n;
      this.parts.metrics?.consumerLag.set(
        { topic, partition: String(partition) },
        Number(lag > 0n ? lag : 0n),
      );
      await heartbeat();
      return true;
    };
    const control = { keepAlive: heartbeat, shouldContinue };
    try {
      for (let i = 0; i < batch.messages.length; i += size) {
        if (!shouldContinue()) break;
        const chunk = batch.messages.slice(i, i + size);
        const prepared = this.parts.processor.prepare(topic, partition, chunk);
        if (!(await settle())) return;
        const done = this.parts.processor.acknowledge(prepared, control);
        // awaited by the next settle(); until then its failure is not "unhandled"
        done.catch(() => undefined);
        const last = chunk[chunk.length - 1]!.offset;
        inFlight = { done, last, next: commitPoint(last, prepared.heldFrom) };
      }
      await settle();
    } finally {
      // a handler that leaves early (stopped, fatal, rebalance) still waits for the write it started
      if (inFlight) await inFlight.done.catch(() => undefined);
    }
  }

  /** Commits `next` (the first offset not done), also while the consumer is stopping. */
  private async commit(
    topic: string,
    partition: number,
    next: string,
    batch: Pick<EachBatchPayload, 'isRunning' | 'commitOffsetsIfNecessary'>,
  ): Promise<void> {
    if (batch.isRunning()) {
      await this.consumer.commitOffsets([{ topic, partition, offset: next }]);
    } else {
      // Stopping: kafkajs' consumer.commitOffsets silently does nothing once the consumer is stopping,
      // which would leave this finished chunk to be read again. The group still stands until this
      // handler returns, so commit through the batch's own handle.
      await batch.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
    }
    this.parts.uncommitted?.committed(topic, partition, next);
  }

  /**
   * Waits for the partition's host state to be read back, keeping the membership alive meanwhile; false
   * when the partition was given up first.
   */
  private async restored(
    partition: number,
    heartbeat: () => Promise<void>,
    shouldContinue: () => boolean,
  ): Promise<boolean> {
    const ready = this.parts.state?.ready(partition);
    if (!ready) return true;
    let done = false;
    const settled = ready.then(() => (done = true));
    for (;;) {
      await Promise.race([settled, new Promise((r) => setTimeout(r, 1_000))]);
      if (done) return true;
      if (!shouldContinue()) return false;
      await heartbeat();
    }
  }
}

/**
 * The offset to commit after a chunk ending at `last`: past it, unless an audit event still open began at
 * or before it (`heldFrom`): then at that event's first record, which a restart or a new owner reads again.
 */
export function commitPoint(last: string, heldFrom: string | undefined): string {
  const past = BigInt(last) + 1n;
  return heldFrom !== undefined && BigInt(heldFrom) < past ? heldFrom : past.toString();
}
