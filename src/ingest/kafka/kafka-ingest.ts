import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ServiceConfig } from '../../config/load-config';
import { FatalSinkError, SinkStoppedError } from '../../alert/sinks/elasticsearch.sink';
import type { Logger } from '../../observability/logger';
import type { PipelineMetrics } from '../../observability/metrics';
import type { BatchProcessor } from '../../serve/batch-processor';
import type { UncommittedWork } from '../../serve/uncommitted-work';

/**
 * The consumer group on the configured topics. Offsets are resolved and committed by hand, one chunk at a
 * time and only after the chunk's alerts and dead letters are acknowledged: kafkajs' auto-resolve would
 * commit a whole batch even when its handler gave up halfway.
 */
export class KafkaIngest {
  private readonly consumer: Consumer;
  private joined = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ServiceConfig,
    private readonly processor: BatchProcessor,
    private readonly logger: Logger,
    private readonly onFatal: (error: Error) => void,
    private readonly metrics?: PipelineMetrics,
    private readonly uncommitted?: UncommittedWork,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.kafka.groupId,
      sessionTimeout: config.kafka.sessionTimeoutMs,
      // a third of the session at most, so two lost heartbeats do not cost the membership
      heartbeatInterval: Math.min(3_000, Math.floor(config.kafka.sessionTimeoutMs / 3)),
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      this.joined = true;
      // partitions now someone else's are read by them: work kept for a replay here is moot
      this.uncommitted?.retain(e.payload.memberAssignment);
      this.logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.joined = false;
      this.logger.error({ err: e.payload.error.message, restart: e.payload.restart }, 'consumer crashed');
    });
  }

  get isJoined(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.ensureTopics();
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
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
    await Promise.race([this.consumer.disconnect(), timeout]);
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
    for (let i = 0; i < batch.messages.length; i += size) {
      if (!shouldContinue()) return;
      const chunk = batch.messages.slice(i, i + size);
      try {
        const result = await this.processor.process(topic, partition, chunk, {
          keepAlive: heartbeat,
          shouldContinue,
        });
        this.logger.debug({ topic, partition, ...result }, 'chunk done');
      } catch (e) {
        if (e instanceof SinkStoppedError) return;
        if (e instanceof FatalSinkError) {
          this.onFatal(e);
          return;
        }
        throw e;
      }
      const last = chunk[chunk.length - 1]!.offset;
      const next = (BigInt(last) + 1n).toString();
      if (isRunning()) {
        await this.consumer.commitOffsets([{ topic, partition, offset: next }]);
      } else {
        // Stopping: kafkajs' consumer.commitOffsets silently does nothing once the consumer is stopping,
        // which would leave this finished chunk to be read again. The group still stands until this
        // handler returns, so commit through the batch's own handle.
        await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      }
      this.uncommitted?.committed(topic, partition, next);
      resolveOffset(last);
      const lag = BigInt(batch.highWatermark) - BigInt(last) - 1n;
      this.metrics?.consumerLag.set({ topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
      await heartbeat();
    }
  }

  private async ensureTopics(): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = [...this.config.kafka.topics, this.config.kafka.deadLetterTopic].filter(
        (t) => !existing.has(t),
      );
      if (wanted.length) {
        await admin.createTopics({ topics: wanted.map((topic) => ({ topic })), waitForLeaders: true });
        this.logger.info({ topics: wanted }, 'created missing topics');
      }
    } finally {
      await admin.disconnect();
    }
  }
}
