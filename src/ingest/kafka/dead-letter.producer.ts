import type { Producer } from 'kafkajs';
import type { MessagePosition } from './kafka-record';

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
 * position in headers, so a fixed record can be replayed from it. Sent with acks from all in-sync
 * replicas; the caller commits the source offset only after this resolves.
 */
export class DeadLetterProducer {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async send(entries: readonly DeadLetterMessage[]): Promise<void> {
    if (entries.length === 0) return;
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: entries.map((e) => ({
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
    });
  }
}
