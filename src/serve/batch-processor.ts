import type { KafkaMessage } from 'kafkajs';
import type { AlertFolder, FoldedAlert } from '../alert/alert-folder';
import type { ElasticsearchSink, RetryControl } from '../alert/sinks/elasticsearch.sink';
import type { InputKind } from '../domain/input-kind';
import type { AuthActivity } from '../enrich/auth-activity';
import type { DeadLetterMessage, DeadLetterProducer } from '../ingest/kafka/dead-letter.producer';
import { recordFromMessage } from '../ingest/kafka/kafka-record';
import type { ZoneTable } from '../normalize/zone-rules';
import type { PipelineMetrics } from '../observability/metrics';
import type { DetectionPipeline } from '../pipeline/detection-pipeline';
import type { HostStateSync, StateWrite } from './host-state-sync';
import type { UncommittedWork } from './uncommitted-work';

export interface BatchResult {
  readonly records: number;
  readonly alerts: number;
  readonly deadLettered: number;
}

export interface BatchProcessorParts {
  readonly pipeline: DetectionPipeline;
  readonly folder: AlertFolder;
  readonly sink: ElasticsearchSink;
  readonly deadLetters: DeadLetterProducer;
  /** topics whose records are all of one input kind */
  readonly topicKinds: Readonly<Record<string, InputKind>>;
  readonly zones?: ZoneTable;
  readonly metrics?: PipelineMetrics;
  /** notices hosts whose auth log falls silent */
  readonly activity?: AuthActivity;
  /** work on records not committed yet: a chunk delivered again is not run through the stateful stages twice */
  readonly uncommitted?: UncommittedWork;
  /** per-host state written to the state topic once the chunk's alerts are indexed */
  readonly state?: HostStateSync;
}

/** A chunk run through the pipeline, waiting to be acknowledged (`BatchProcessor.acknowledge`). */
export interface PreparedChunk {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /** one write per finding: the first message that showed it stands for it if Elasticsearch refuses it */
  readonly findings: ReadonlyMap<string, { readonly folded: FoldedAlert; readonly source: KafkaMessage }>;
  readonly dead: readonly DeadLetterMessage[];
  readonly events: number;
  readonly state?: StateWrite;
  /** the first offset still needed (the start of an open audit event): the commit stays at or below it */
  readonly heldFrom?: string;
}

/**
 * One chunk of one partition, in two steps. `prepare` runs it through the stateful stages — parse, enrich,
 * match, fold — synchronously, so chunks never interleave there. `acknowledge` indexes its alerts,
 * dead-letters what cannot be read or indexed, and writes the host state it changed; it resolves only when
 * all of that is acknowledged, so the caller may then commit past the chunk. The caller may prepare the
 * next chunk while one is being acknowledged, and acknowledges them in order.
 */
export class BatchProcessor {
  constructor(private readonly parts: BatchProcessorParts) {}

  prepare(topic: string, partition: number, messages: readonly KafkaMessage[]): PreparedChunk {
    const { pipeline, folder, topicKinds, zones, metrics, uncommitted } = this.parts;
    const started = performance.now();
    const dead: DeadLetterMessage[] = [];
    let events = 0;
    const findings = new Map<string, { folded: FoldedAlert; source: KafkaMessage }>();
    for (const message of messages) {
      const position = { topic, partition, offset: message.offset };
      const fromKafka = recordFromMessage(message, position, topicKinds[topic], zones?.forTopic(topic));
      if (!fromKafka.ok) {
        dead.push({ reason: fromKafka.reason, position, key: message.key, value: message.value });
        continue;
      }
      let work = uncommitted?.get(topic, partition, message.offset);
      if (!work) {
        const outcome = pipeline.process(
          fromKafka.record,
          fromKafka.observedAt,
          uncommitted?.auditStream(topic, partition),
        );
        if (outcome.ok) this.parts.activity?.observe(outcome.events, Date.now());
        work = { outcome, folded: outcome.ok ? folder.fold(outcome.alerts, outcome.events) : [] };
        uncommitted?.set(topic, partition, message.offset, work);
      }
      const { outcome } = work;
      if (!outcome.ok) {
        const { reason, kind } = outcome.deadLetter;
        dead.push({ reason, kind, position, key: message.key, value: message.value });
        continue;
      }
      events += outcome.events.length;
      for (const folded of work.folded) {
        const earlier = findings.get(folded.alert.id);
        // keep "new" from the first sighting in this chunk, and the latest count
        const isNew = earlier ? earlier.folded.isNew : folded.isNew;
        findings.set(folded.alert.id, {
          folded: { ...folded, isNew },
          source: earlier?.source ?? message,
        });
      }
    }
    // still inside the synchronous run of the chunk: every host changed so far was changed by it
    const state = this.parts.state?.claim(partition);
    const heldFrom = uncommitted?.heldFrom(topic, partition);
    metrics?.pipelineSeconds.observe((performance.now() - started) / 1000);
    return {
      topic,
      partition,
      messages,
      findings,
      dead,
      events,
      ...(state && { state }),
      ...(heldFrom !== undefined && { heldFrom }),
    };
  }

  async acknowledge(chunk: PreparedChunk, control: RetryControl): Promise<BatchResult> {
    const { sink, deadLetters, metrics } = this.parts;
    const { topic, partition, messages, findings } = chunk;
    const dead = [...chunk.dead];
    const unparsed = dead.length;
    const writes = [...findings.values()];
    const indexing = performance.now();
    const rejected = await sink.index(
      writes.map((w) => w.folded),
      control,
    );
    metrics?.bulkSeconds.observe((performance.now() - indexing) / 1000);
    const refused = new Set(rejected.map((r) => r.alert.id));
    const deadOffsets = new Set<string>();
    for (const { alert, reason } of rejected) {
      const message = findings.get(alert.id)!.source;
      if (deadOffsets.has(message.offset)) continue;
      deadOffsets.add(message.offset);
      dead.push({
        reason,
        position: { topic, partition, offset: message.offset },
        key: message.key,
        value: message.value,
      });
    }
    await deadLetters.send(dead, control);
    // after the alerts (a "new" fact is never persisted before its alert is), before the commit
    if (chunk.state) await this.parts.state?.write(chunk.state, control);
    if (metrics) {
      metrics.recordsIn.inc({ topic }, messages.length);
      metrics.recordsParsed.inc({ topic }, messages.length - unparsed);
      metrics.deadLettered.inc({ topic }, dead.length);
      metrics.events.inc(chunk.events);
      for (const { folded } of writes) {
        if (!refused.has(folded.alert.id) && folded.isNew)
          metrics.alerts.inc({ rule: String(folded.alert.fields['rule.id']) });
      }
    }
    return { records: messages.length, alerts: writes.length - refused.size, deadLettered: dead.length };
  }
}
