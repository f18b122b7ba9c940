import type { KafkaMessage } from 'kafkajs';
import type { Alert } from '../domain/alert';
import type { InputKind } from '../domain/input-kind';
import type { ElasticsearchSink, RetryControl } from '../alert/sinks/elasticsearch.sink';
import type { DeadLetterMessage, DeadLetterProducer } from '../ingest/kafka/dead-letter.producer';
import { recordFromMessage } from '../ingest/kafka/kafka-record';
import type { ZoneTable } from '../normalize/zone-rules';
import type { PipelineMetrics } from '../observability/metrics';
import type { DetectionPipeline } from '../pipeline/detection-pipeline';

export interface BatchResult {
  readonly records: number;
  readonly alerts: number;
  readonly deadLettered: number;
}

/**
 * One chunk of one partition, start to finish: every message is parsed and matched, its alerts indexed,
 * and the messages that cannot be (unparseable, or an alert Elasticsearch rejects for good) dead-lettered.
 * It resolves only when all of that is acknowledged, so the caller may then commit past the chunk.
 */
export class BatchProcessor {
  constructor(
    private readonly pipeline: DetectionPipeline,
    private readonly sink: ElasticsearchSink,
    private readonly deadLetters: DeadLetterProducer,
    private readonly topicKinds: Readonly<Record<string, InputKind>>,
    private readonly zones?: ZoneTable,
    private readonly metrics?: PipelineMetrics,
  ) {}

  async process(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    control: RetryControl,
  ): Promise<BatchResult> {
    const started = performance.now();
    const dead: DeadLetterMessage[] = [];
    let events = 0;
    const alerts: Alert[] = [];
    const sourceOf = new Map<Alert, KafkaMessage>();
    for (const message of messages) {
      const position = { topic, partition, offset: message.offset };
      const fromKafka = recordFromMessage(
        message,
        position,
        this.topicKinds[topic],
        this.zones?.forTopic(topic),
      );
      if (!fromKafka.ok) {
        dead.push({ reason: fromKafka.reason, position, key: message.key, value: message.value });
        continue;
      }
      const outcome = this.pipeline.process(fromKafka.record, fromKafka.observedAt);
      if (!outcome.ok) {
        const { reason, kind } = outcome.deadLetter;
        dead.push({ reason, kind, position, key: message.key, value: message.value });
        continue;
      }
      events += outcome.events.length;
      for (const alert of outcome.alerts) {
        alerts.push(alert);
        sourceOf.set(alert, message);
      }
    }
    const unparsed = dead.length;
    const indexing = performance.now();
    this.metrics?.pipelineSeconds.observe((indexing - started) / 1000);
    const rejected = await this.sink.index(alerts, control);
    this.metrics?.bulkSeconds.observe((performance.now() - indexing) / 1000);
    const rejectedOffsets = new Set<string>();
    for (const { alert, reason } of rejected) {
      const message = sourceOf.get(alert)!;
      if (rejectedOffsets.has(message.offset)) continue;
      rejectedOffsets.add(message.offset);
      dead.push({
        reason,
        position: { topic, partition, offset: message.offset },
        key: message.key,
        value: message.value,
      });
    }
    await this.deadLetters.send(dead);
    const counts = { records: messages.length, unparsed, dead: dead.length, events };
    this.count(
      topic,
      counts,
      alerts,
      rejected.map((r) => r.alert),
    );
    return { records: messages.length, alerts: alerts.length - rejected.length, deadLettered: dead.length };
  }

  private count(
    topic: string,
    n: { records: number; unparsed: number; dead: number; events: number },
    alerts: Alert[],
    rejected: Alert[],
  ): void {
    const m = this.metrics;
    if (!m) return;
    m.recordsIn.inc({ topic }, n.records);
    m.recordsParsed.inc({ topic }, n.records - n.unparsed);
    m.deadLettered.inc({ topic }, n.dead);
    m.events.inc(n.events);
    const refused = new Set(rejected);
    for (const a of alerts) if (!refused.has(a)) m.alerts.inc({ rule: String(a.fields['rule.id']) });
  }
}
