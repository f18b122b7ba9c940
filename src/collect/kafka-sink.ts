import { Partitioners, type Message, type Producer } from 'kafkajs';
import pino from 'pino';
import type { KafkaConnection } from '../config/load-config';
import type { SnapshotRecord } from '../domain/snapshot-record';
import { createKafka, disconnectWithin } from '../ingest/kafka/kafka-client';
import type { RecordSink } from './sinks';

/** Default topic of `collect --kafka` (CONTRACT §4). */
export const SNAPSHOT_TOPIC = 'linux.snapshot';

const BATCH_RECORDS = 500;

/**
 * Records to a Kafka topic, keyed by host name (so one host's snapshots stay in order on one partition,
 * CONTRACT §4) and with the `source: snapshot` header (no sniffing needed in serve). Sent in batches,
 * acknowledged by all in-sync replicas; `close` sends the rest and fails if any batch was refused.
 */
export class KafkaSink implements RecordSink {
  private batch: Message[] = [];

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  static async open(connection: KafkaConnection, topic: string): Promise<KafkaSink> {
    // kafkajs logs to stderr: stdout stays free for whoever pipes the command
    const logger = pino({ level: 'warn', base: { service: 'tuxwatch-collect' } }, pino.destination(2));
    const kafka = createKafka(connection, logger);
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    return new KafkaSink(producer, topic);
  }

  async write(record: SnapshotRecord): Promise<void> {
    this.batch.push({
      key: record.host,
      value: JSON.stringify(record),
      headers: { source: 'snapshot' },
    });
    if (this.batch.length >= BATCH_RECORDS) await this.flush();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await disconnectWithin(this.producer, 10_000);
    }
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const messages = this.batch;
    this.batch = [];
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }
}
