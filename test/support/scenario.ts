import type { Client } from '@elastic/elasticsearch';
import type { ITopicConfig, Kafka, Message } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { createEsClient, deleteIndices } from './elasticsearch';
import { elasticsearchUrl, kafkaBrokers } from './endpoints';
import { FaultProxy } from './fault-proxy';
import { createKafka, createTopics, deleteTopics, sendMessages, waitAllCommitted } from './kafka';
import { uniqueName } from './names';
import { startService, stateTopicOf, type ServiceProcess } from './service';

/** The names one integration scenario owns — topics, group, alert indices — shared with no other test. */
export interface Scenario {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly indexPrefix: string;
}

/** A scenario's names: `<name>`, `<name>-dead`, `<name>-group`, alert indices `tuxwatch-alerts-<name>-…-`. */
export function scenario(name: string): Scenario {
  return {
    topic: uniqueName(name),
    deadLetterTopic: uniqueName(`${name}-dead`),
    groupId: uniqueName(`${name}-group`),
    indexPrefix: `tuxwatch-alerts-${uniqueName(name)}-`,
  };
}

/**
 * The environment of a `tuxwatch serve` reading the scenario's topic from the test broker and writing to the
 * test node; `extra` adds settings or points it elsewhere (a fault proxy, a private broker).
 */
export function serviceEnv(s: Scenario, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_GROUP_ID: s.groupId,
    KAFKA_TOPICS: s.topic,
    KAFKA_DEAD_LETTER_TOPIC: s.deadLetterTopic,
    ELASTICSEARCH_URL: elasticsearchUrl(),
    TUXWATCH_ALERT_INDEX_PREFIX: s.indexPrefix,
    ...extra,
  };
}

export interface ScenarioOptions {
  /** partitions of the input topic (default 1) */
  readonly partitions?: number;
  /**
   * The dead-letter topic, made before the tests (true, the default; or with these topic settings), or left
   * for the service to make when it starts (false).
   */
  readonly deadLetterTopic?: boolean | Omit<ITopicConfig, 'topic'>;
  /** a FaultProxy in front of the test node (`proxy`), passing everything until the test says otherwise */
  readonly faultProxy?: boolean;
}

/** A scenario set up around the tests of one `describe`, with what its tests use to drive it. */
export interface ScenarioRun extends Scenario {
  /** a client of the test broker */
  readonly kafka: Kafka;
  /** a client of the test node (from the scenario's beforeAll on) */
  readonly es: Client;
  /** the fault proxy (with `faultProxy: true`, from the scenario's beforeAll on) */
  readonly proxy: FaultProxy;
  /** Starts `tuxwatch serve` on the scenario (`serviceEnv` with `extra`); it is stopped after the tests. */
  start(extra?: Record<string, string>): ServiceProcess;
  /** Sends messages to the scenario's topic, in order, `perSend` per produce request. */
  send(messages: readonly Message[], perSend?: number): Promise<void>;
  /** Waits until the scenario's group has committed `total` records of its topic (all partitions). */
  allCommitted(total: number, opts: { timeoutMs: number; logs: () => string }): Promise<void>;
}

/**
 * Sets a scenario up for the enclosing `describe`: before its tests the topics (and the fault proxy), after
 * them every service it started stopped, then its alert indices and topics (dead-letter and state topics
 * too) deleted. Call it in the `describe` body.
 *
 *   const run = useScenario('fold');
 *   it('…', async () => { await run.send(lines); const service = run.start({ TUXWATCH_BATCH_SIZE: '10' }); … });
 */
export function useScenario(name: string, options: ScenarioOptions = {}): ScenarioRun {
  const names = scenario(name);
  const kafka = createKafka(name);
  const services: ServiceProcess[] = [];
  let es: Client | undefined;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    es = createEsClient();
    if (options.faultProxy) proxy = await FaultProxy.start(elasticsearchUrl());
    const deadLetter = options.deadLetterTopic ?? true;
    await createTopics(
      [
        { topic: names.topic, numPartitions: options.partitions ?? 1 },
        ...(deadLetter === false
          ? []
          : [{ ...(deadLetter === true ? {} : deadLetter), topic: names.deadLetterTopic }]),
      ],
      kafka,
    );
  });

  afterAll(async () => {
    for (const s of services) await s.stop();
    await proxy?.close();
    if (es) {
      await deleteIndices(es, `${names.indexPrefix}*`);
      await es.close();
    }
    await deleteTopics([names.topic, names.deadLetterTopic, stateTopicOf(names.groupId)], kafka);
  });

  const setUp = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`${what} of scenario ${name} exists only inside its tests`);
    return value;
  };
  return {
    ...names,
    kafka,
    get es() {
      return setUp('the Elasticsearch client', es);
    },
    get proxy() {
      return setUp('the fault proxy', proxy);
    },
    start(extra = {}) {
      const service = startService(serviceEnv(names, extra));
      services.push(service);
      return service;
    },
    send: (messages, perSend) => sendMessages(kafka, names.topic, messages, perSend),
    allCommitted: (total, opts) => waitAllCommitted(names.groupId, names.topic, total, { ...opts, kafka }),
  };
}
