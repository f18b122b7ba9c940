import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from '../../observability/logger';
import type { RetryControl } from '../../retry/retry-control';
import type { StateEntry, StateLog } from '../../serve/host-state-sync';
import { disconnectWithin, withAdmin } from './kafka-client';
import { TopicWriter } from './topic-writer';

export interface StateTopicOptions {
  /** the compacted topic holding host snapshots */
  readonly topic: string;
  /** the service's consumer group: restore readers are named after it */
  readonly groupId: string;
  /** the input topics whose partition numbers the state topic mirrors */
  readonly inputs: readonly string[];
  /** a restore that has not reached the end of its partitions by then fails (and is retried) */
  readonly readTimeoutMs?: number;
}

export class StateTopicError extends Error {}

/** Room above the snapshots' own cap (`MAX_SNAPSHOT_BYTES`) for the key and the batch around it. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * The state log on a compacted Kafka topic: key `<memory>/<host>`, value the snapshot, one partition per
 * input partition number. kafkajs has no manual partition assignment, so a restore reads with a consumer
 * of its own, in a throwaway group that never commits, from the beginning to the end offsets it saw
 * when it started.
 */
export class StateTopic implements StateLog {
  private readonly readTimeoutMs: number;
  private readonly writer: TopicWriter;

  /** `producer` without kafkajs retries: outages are waited out by `TopicWriter` */
  constructor(
    private readonly kafka: Kafka,
    producer: Producer,
    private readonly options: StateTopicOptions,
    private readonly logger: Logger,
  ) {
    this.readTimeoutMs = options.readTimeoutMs ?? 120_000;
    this.writer = new TopicWriter(producer, options.topic, 'host state topic', logger);
  }

  /** false while host state cannot be written (readiness reports it) */
  get writable(): boolean {
    return this.writer.writable;
  }

  /**
   * Creates the topic (compacted, as many partitions as the widest input topic) or checks the one there.
   * Fewer state partitions than input partitions cannot hold every partition's hosts: that is fatal.
   */
  async ensure(): Promise<void> {
    const { topic, inputs } = this.options;
    await withAdmin(this.kafka, async (admin) => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...inputs] });
      const counts = new Map(topics.map((t) => [t.name, t.partitions.length]));
      const widest = Math.max(...counts.values());
      if (new Set(counts.values()).size > 1) {
        this.logger.warn(
          { partitions: Object.fromEntries(counts) },
          'input topics have different partition counts: one host can land on different partition numbers, ' +
            'and its state then splits between consumers; give every input topic the same count',
        );
      }
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: widest,
              configEntries: [
                { name: 'cleanup.policy', value: 'compact' },
                { name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) },
              ],
            },
          ],
        });
        this.logger.info({ topic, partitions: widest }, 'created the host state topic');
        return;
      }
      const [existing] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const have = existing?.partitions.length ?? 0;
      if (have < widest) {
        throw new StateTopicError(
          `state topic ${topic} has ${have} partitions, fewer than the ${widest} of the input topics: ` +
            `add partitions to it or name a new one in KAFKA_STATE_TOPIC`,
        );
      }
    });
  }

  async write(partition: number, entries: readonly StateEntry[], control: RetryControl): Promise<void> {
    await this.writer.send(
      entries.map((e) => ({ key: e.key, value: e.value, partition })),
      control,
    );
  }

  async read(partitions: readonly number[]): Promise<(StateEntry & { readonly partition: number })[]> {
    const { topic } = this.options;
    const ends = await this.endOffsets(partitions);
    if (ends.size === 0) return [];
    const latest = new Map<string, StateEntry & { readonly partition: number }>();
    const consumer = this.kafka.consumer({
      groupId: `${this.options.groupId}.state-restore.${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new StateTopicError(`state topic ${topic} not read to its end in ${this.readTimeoutMs} ms`),
            ),
          this.readTimeoutMs,
        );
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = ends.get(batch.partition);
              for (const m of batch.messages) {
                if (end === undefined || BigInt(m.offset) > end) break;
                const key = m.key?.toString('utf8') ?? '';
                latest.set(`${batch.partition}\u0000${key}`, {
                  key,
                  value: m.value?.toString('utf8') ?? null,
                  partition: batch.partition,
                });
              }
              const last = batch.messages[batch.messages.length - 1];
              if (end === undefined || (last && BigInt(last.offset) >= end)) {
                ends.delete(batch.partition);
                consumer.pause([{ topic, partitions: [batch.partition] }]);
              }
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
              return Promise.resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await disconnectWithin(consumer, 10_000);
    }
    return [...latest.values()];
  }

  /** The last offset of each wanted partition that has any records. */
  private async endOffsets(partitions: readonly number[]): Promise<Map<number, bigint>> {
    const wanted = new Set(partitions);
    const offsets = await withAdmin(this.kafka, (admin) => admin.fetchTopicOffsets(this.options.topic));
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of offsets) {
      if (wanted.has(partition) && BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high) - 1n);
    }
    return ends;
  }
}
