import type { Producer } from 'kafkajs';
import type { Logger } from '../../observability/logger';
import type { PipelineMetrics } from '../../observability/metrics';
import type { RetryControl } from '../../retry/retry-control';
import type { MessagePosition } from './kafka-record';
import { TopicWriter } from './topic-writer';

/** A message that could not be turned into indexed alerts, with why. */
export interface DeadLetterMessage {
  readonly reason: string;
  readonly position: MessagePosition;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly kind?: string;
}

/**
 * The dead-letter topic (CONTRACT §4): the original key and bytes untouched, the reason and the source
 * position in headers, so a fixed record can be replayed from it. `send` resolves only when the topic has
 * them (an outage is waited out, see `TopicWriter`), and the caller commits the source offset only then.
 */
export class DeadLetterProducer {
  private readonly writer: TopicWriter;

  constructor(producer: Producer, topic: string, logger: Logger, metrics?: PipelineMetrics) {
    this.writer = new TopicWriter(producer, topic, 'dead-letter topic', logger, () =>
      metrics?.deadLetterSendRetries.inc(),
    );
  }

  /** false while dead letters cannot be written (readiness reports it) */
  get writable(): boolean {
    return this.writer.writable;
  }

  async send(entries: readonly DeadLetterMessage[], control: RetryControl): Promise<void> {
    await this.writer.send(
      entries.map((e) => ({
        key: e.key,
        value: e.value,
        headers: {
          'tuxwatch.reason': e.reason.slice(0, 4096),
          'tuxwatch.source.topic': e.position.topic,
          'tuxwatch.source.partition': String(e.position.partition),
          'tuxwatch.source.offset': e.position.offset,
          ...(e.kind ? { 'tuxwatch.kind': e.kind } : {}),
        },
      })),
      control,
    );
  }
}
