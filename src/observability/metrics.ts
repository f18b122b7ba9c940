import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus metrics, on one registry (served at /metrics). Label sets are small and fixed:
 * topics and rule ids, never hosts or record contents.
 */
export class PipelineMetrics {
  readonly registry = new Registry();

  readonly recordsIn = this.counter('tuxwatch_records_in_total', 'Records read from Kafka', ['topic']);
  readonly recordsParsed = this.counter('tuxwatch_records_parsed_total', 'Records parsed into events', [
    'topic',
  ]);
  readonly deadLettered = this.counter(
    'tuxwatch_records_dead_lettered_total',
    'Records sent to the dead-letter topic',
    ['topic'],
  );
  readonly deadLetterSendRetries = this.counter(
    'tuxwatch_dead_letter_send_retries_total',
    'Dead-letter writes that failed for now and are retried (the topic missing, no leader, broker down)',
  );
  readonly stateWrites = this.counter(
    'tuxwatch_host_state_writes_total',
    'Host snapshots written to the state topic (one per changed host and kind of memory, per chunk)',
  );
  readonly stateHosts = this.gauge(
    'tuxwatch_host_state_hosts',
    'Hosts whose state this process holds for the partitions it owns',
  );
  readonly stateRestoreSeconds = this.histogram(
    'tuxwatch_host_state_restore_seconds',
    'Time to read gained partitions back from the state topic before their records are processed',
    [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  );
  readonly events = this.counter('tuxwatch_events_total', 'Normalized events evaluated by the rules');
  readonly alerts = this.counter(
    'tuxwatch_alerts_total',
    'Alerts acknowledged by Elasticsearch (created, or already there)',
    ['rule'],
  );
  readonly consumerLag = this.gauge(
    'tuxwatch_consumer_lag',
    'High watermark minus the next offset to process, per partition',
    ['topic', 'partition'],
  );
  readonly bulkSeconds = this.histogram(
    'tuxwatch_bulk_seconds',
    'Time to get a chunk of alerts acknowledged by Elasticsearch, retries included',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  readonly pipelineSeconds = this.histogram(
    'tuxwatch_pipeline_seconds',
    'Parse + enrich + rule evaluation time of a chunk of records',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tuxwatch_' });
  }

  // every metric goes on this registry (the fields above are made in order, `registry` first)
  private counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }

  /** A histogram in seconds on this registry. */
  private histogram(name: string, help: string, buckets: number[]) {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }
}
