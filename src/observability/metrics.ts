import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics, on one registry (served at /metrics). Label sets are small and fixed:
 * topics and rule ids, never hosts or record contents.
 */
export class PipelineMetrics {
  readonly registry = new Registry();

  readonly recordsIn = new Counter({
    name: 'tuxwatch_records_in_total',
    help: 'Records read from Kafka',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly recordsParsed = new Counter({
    name: 'tuxwatch_records_parsed_total',
    help: 'Records parsed into events',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly deadLettered = new Counter({
    name: 'tuxwatch_records_dead_lettered_total',
    help: 'Records sent to the dead-letter topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly deadLetterSendRetries = new Counter({
    name: 'tuxwatch_dead_letter_send_retries_total',
    help: 'Dead-letter writes that failed for now and are retried (the topic missing, no leader, broker down)',
    registers: [this.registry],
  });
  readonly stateWrites = new Counter({
    name: 'tuxwatch_host_state_writes_total',
    help: 'Host snapshots written to the state topic (one per changed host and kind of memory, per chunk)',
    registers: [this.registry],
  });
  readonly stateHosts = new Gauge({
    name: 'tuxwatch_host_state_hosts',
    help: 'Hosts whose state this process holds for the partitions it owns',
    registers: [this.registry],
  });
  readonly stateRestoreSeconds = new Histogram({
    name: 'tuxwatch_host_state_restore_seconds',
    help: 'Time to read gained partitions back from the state topic before their records are processed',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'tuxwatch_events_total',
    help: 'Normalized events evaluated by the rules',
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'tuxwatch_alerts_total',
    help: 'Alerts acknowledged by Elasticsearch (created, or already there)',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'tuxwatch_consumer_lag',
    help: 'High watermark minus the next offset to process, per partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });
  readonly bulkSeconds = new Histogram({
    name: 'tuxwatch_bulk_seconds',
    help: 'Time to get a chunk of alerts acknowledged by Elasticsearch, retries included',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly pipelineSeconds = new Histogram({
    name: 'tuxwatch_pipeline_seconds',
    help: 'Parse + enrich + rule evaluation time of a chunk of records',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tuxwatch_' });
  }
}
