import type { Client } from '@elastic/elasticsearch';
import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Partitioners, type Kafka } from 'kafkajs';
import { createElasticsearchClient } from '../alert/sinks/elasticsearch-client';
import { AlertFolder } from '../alert/alert-folder';
import { EntityLedger } from '../alert/entity-ledger';
import { AuthActivity } from '../enrich/auth-activity';
import { ensureAlertIndexExists, ensureAlertIndexTemplate } from '../alert/sinks/alert-index-template';
import { ElasticsearchSink } from '../alert/sinks/elasticsearch.sink';
import type { ServiceConfig } from '../config/load-config';
import type { ReloadableDetector } from '../detect/reloadable-detector';
import { formatProblem } from '../domain/rule';
import { createEnrichers, InMemoryHostState, SnapshotBaselines } from '../enrich';
import { DeadLetterProducer } from '../ingest/kafka/dead-letter.producer';
import { createKafka } from '../ingest/kafka/kafka-client';
import { KafkaIngest } from '../ingest/kafka/kafka-ingest';
import { StateTopic } from '../ingest/kafka/state-topic';
import { HealthServer } from '../observability/health.server';
import type { Logger } from '../observability/logger';
import { PipelineMetrics } from '../observability/metrics';
import { ZoneTable } from '../normalize/zone-rules';
import { DetectionPipeline } from '../pipeline/detection-pipeline';
import { BatchProcessor } from './batch-processor';
import { UncommittedWork } from './uncommitted-work';
import { ChangedHosts, HostStateSync } from './host-state-sync';
import { CHANGED_HOSTS, CONFIG, DETECTOR, ELASTICSEARCH, FATAL_HANDLER, KAFKA, LOGGER } from './tokens';

/** Starts and stops the service's parts in order: sinks first, the consumer last; the reverse on shutdown. */
@Injectable()
export class ServiceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private ingest?: KafkaIngest;
  private health?: HealthServer;
  private producer?: ReturnType<Kafka['producer']>;
  private reloading = false;
  private stopping = false;
  private folder?: AlertFolder;
  private sink?: ElasticsearchSink;
  private pipeline?: DetectionPipeline;
  private state?: HostStateSync;
  private deadLetters?: DeadLetterProducer;
  private stateTopic?: StateTopic;
  private readonly activity: AuthActivity;

  constructor(
    @Inject(CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(ELASTICSEARCH) private readonly es: Client,
    @Inject(DETECTOR) private readonly detector: ReloadableDetector,
    @Inject(FATAL_HANDLER) private readonly onFatal: (e: Error) => void,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(CHANGED_HOSTS) private readonly changes: ChangedHosts,
  ) {
    this.activity = new AuthActivity(config.authSilenceMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config, logger } = this;
    const metrics = new PipelineMetrics();
    this.health = new HealthServer({ ready: () => this.ready() }, metrics.registry);
    const port = await this.health.listen(config.httpPort, config.httpHost);
    // mappings must exist before the first alert creates an index, or dynamic mapping guesses them
    const template = await ensureAlertIndexTemplate(this.es);
    // so that a Kibana data view over the alert indices has their fields before the first alert
    const created = await ensureAlertIndexExists(this.es, config.alertIndexPrefix);
    logger.info({ template, ...(created ? { created } : {}) }, 'alert index template');
    // without kafkajs retries: the dead-letter and state writers retry on their own terms, heartbeating the
    // consumer and giving up on a rebalance or stop (topic-writer.ts)
    // the default (murmur2, Java-compatible) partitioner named explicitly: kafkajs warns at every start otherwise
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    const zones = new ZoneTable(config.zoneRules);
    const hostState = new InMemoryHostState({ onChange: this.changes.mark });
    const baselines = new SnapshotBaselines({ onChange: this.changes.mark });
    // the entity findings' generations: after a restart the same account updates the alert it already has
    const findings = new EntityLedger({ onChange: this.changes.mark });
    const stateTopic = (this.stateTopic = new StateTopic(
      this.kafka,
      this.producer,
      { topic: config.kafka.stateTopic, groupId: config.kafka.groupId, inputs: config.kafka.topics },
      logger,
    ));
    this.state = new HostStateSync(
      { enrich: hostState, correlations: this.detector.correlationState, baselines, findings },
      this.changes,
      stateTopic,
      logger,
      { metrics },
    );
    const pipeline = new DetectionPipeline({
      detector: this.detector,
      enrichers: createEnrichers({
        state: hostState,
        baselines,
        expectedListenersFile: config.expectedListeners,
      }),
      defaults: {
        timezone: config.timezone,
        maxRecordBytes: config.maxRecordBytes,
        zoneForHost: zones.hasHostRules ? (host) => zones.forHost(host) : undefined,
      },
      alertIndexPrefix: config.alertIndexPrefix,
    });
    this.folder = new AlertFolder(config.suppressWindowMs, { ledger: findings });
    this.sink = new ElasticsearchSink(this.es, logger);
    this.pipeline = pipeline;
    const uncommitted = new UncommittedWork();
    this.deadLetters = new DeadLetterProducer(this.producer, config.kafka.deadLetterTopic, logger, metrics);
    const processor = new BatchProcessor({
      pipeline,
      folder: this.folder,
      sink: this.sink,
      deadLetters: this.deadLetters,
      topicKinds: config.kafka.topicKinds,
      zones,
      metrics,
      activity: this.activity,
      uncommitted,
      state: this.state,
    });
    this.ingest = new KafkaIngest(this.kafka, config, {
      processor,
      logger,
      onFatal: this.onFatal,
      metrics,
      uncommitted,
      state: this.state,
    });
    await this.ingest.ensureTopics();
    // sized after the input topics, so it must come after them
    await stateTopic.ensure();
    await this.ingest.start();
    logger.info(
      { topics: config.kafka.topics, groupId: config.kafka.groupId, healthPort: port },
      'tuxwatch serving',
    );
    if (config.authSilenceMs > 0) {
      this.scheduler.addInterval(
        'auth-silence',
        setInterval(() => void this.reportSilentHosts(), config.authSilenceCheckMs),
      );
    }
    if (config.rulesReloadMs > 0) {
      this.scheduler.addInterval(
        'rules-reload',
        setInterval(() => void this.reloadRules(), config.rulesReloadMs),
      );
    }
  }

  /**
   * The scheduled silence check: hosts whose auth log went quiet become `health` events, matched by the
   * rules like any other event (detections/auth-log-silence.yml) and indexed like any other alert.
   */
  private async reportSilentHosts(): Promise<void> {
    const { pipeline, folder, sink } = this;
    if (!pipeline || !folder || !sink) return;
    try {
      const alerts = this.activity.silentHosts(Date.now()).flatMap((e) => pipeline.detect(e));
      // a correlation over health events changes that host's windows, outside any chunk
      this.state?.claimKnown();
      if (alerts.length === 0) return;
      await sink.index(folder.fold(alerts), {
        keepAlive: async () => undefined,
        shouldContinue: () => !this.stopping,
      });
      this.logger.warn({ hosts: alerts.map((a) => a.fields['host.name']) }, 'auth log silent');
    } catch (e) {
      this.logger.error(
        { err: (e as Error).message },
        'auth silence check failed; it runs again at the next interval',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.ingest?.stop();
    await this.producer?.disconnect().catch(() => undefined);
    await this.es.close().catch(() => undefined);
    await this.health?.close();
  }

  /** A live edit that breaks a rule leaves the last good set running; the log says what is wrong. */
  private async reloadRules(): Promise<void> {
    if (this.reloading) return;
    this.reloading = true;
    try {
      const outcome = await this.detector.reload();
      if (outcome.status === 'loaded') this.logger.info({ rules: outcome.rules }, 'rules reloaded');
      if (outcome.status === 'kept') {
        this.logger.warn(
          { rules: outcome.rules, problems: outcome.problems.map(formatProblem) },
          'rule change rejected; the last good rule set keeps running',
        );
      }
    } catch (e) {
      this.logger.error(
        { err: (e as Error).message },
        'rule reload failed; the last good rule set keeps running',
      );
    }
  }

  private async ready(): Promise<boolean> {
    if (!this.ingest?.isJoined || this.detector.ruleCount === 0) return false;
    // records waiting on the dead-letter or state topic hold their partitions: the service is not doing its job
    if (this.deadLetters && !this.deadLetters.writable) return false;
    if (this.stateTopic && !this.stateTopic.writable) return false;
    try {
      await this.es.cluster.health({ timeout: '2s' });
      return true;
    } catch {
      return false;
    }
  }
}

/** What the command line made before Nest starts: the config, the logger and the loaded rules. */
export interface ServeParts {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly detector: ReloadableDetector;
  /** fed by the detector's correlation windows; the host state feeds it too */
  readonly changes: ChangedHosts;
  readonly onFatal: (e: Error) => void;
}

@Module({})
export class ServeModule {
  static forRoot({ config, logger, detector, changes, onFatal }: ServeParts): DynamicModule {
    return {
      module: ServeModule,
      imports: [ScheduleModule.forRoot()],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: DETECTOR, useValue: detector },
        { provide: FATAL_HANDLER, useValue: onFatal },
        { provide: CHANGED_HOSTS, useValue: changes },
        { provide: KAFKA, useFactory: () => createKafka(config.kafka, logger) },
        { provide: ELASTICSEARCH, useFactory: () => createElasticsearchClient(config.elasticsearch) },
        ServiceLifecycle,
      ],
    };
  }
}
