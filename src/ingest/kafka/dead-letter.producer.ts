import type { Message, Producer } from 'kafkajs';
import { DEAD_LETTER_PREFIX_BYTES } from '../../domain/raw-record';
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
          'tuxwatch.size': String(e.value?.length ?? 0),
          ...(e.kind ? { 'tuxwatch.kind': e.kind } : {}),
        },
      })),
      control,
      cutDeadLetter,
    );
  }
}

/**
 * A dead letter the topic refuses as too large, cut: its value to 64 KiB at most, then to a quarter at each
 * further refusal, down to none at all, and flagged `tuxwatch.truncated: true` (`tuxwatch.size` keeps the
 * true size; the whole record is still on its source topic at the offset the headers name). Without this,
 * one record just under the broker's limit plus ~150 bytes of headers stops the service at every restart.
 * Undefined once there is nothing left to cut: a topic that refuses headers alone is misconfigured.
 */
export function cutDeadLetter(message: Message): Message | undefined {
  const value =
    message.value === null || message.value === undefined ? Buffer.alloc(0) : Buffer.from(message.value);
  if (value.length === 0) return undefined;
  const keep =
    value.length > DEAD_LETTER_PREFIX_BYTES ? DEAD_LETTER_PREFIX_BYTES : Math.floor(value.length / 4);
  return {
    ...message,
    value: value.subarray(0, keep),
    headers: { ...message.headers, 'tuxwatch.truncated': 'true' },
  };
}
