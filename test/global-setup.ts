/**
 * Global setup of the vitest "integration" and "container" projects (runs only when one of their test files is
 * queued). Both projects name this file; the endpoints are decided once per vitest process and shared, so the
 * two suites never start two stacks (see `sharedEndpoints`).
 *
 * Decides the Kafka and Elasticsearch endpoints, in this order:
 *  a. the environment: TUXWATCH_TEST_KAFKA_BROKERS (comma-separated) and TUXWATCH_TEST_ELASTICSEARCH_URL (both);
 *  b. the local stack (scripts/stack/up.sh on KAFKA_PORT / ES_PORT): reused when both already answer, else
 *     started here and stopped in teardown (kept running with TUXWATCH_TEST_KEEP_STACK=1).
 * Testcontainers' Kafka and Elasticsearch images (TUXWATCH_TEST_KAFKA_IMAGE / TUXWATCH_TEST_ES_IMAGE) are used
 * only when asked for with TUXWATCH_TEST_STACK=testcontainers: a Docker engine that answers says nothing about
 * whether those images can be pulled (here and in CI they cannot; the engine is there for the container suite).
 * TUXWATCH_TEST_STACK=env|testcontainers|local forces one of them.
 *
 * Tests read the endpoints with test/support/endpoints.ts (inject keys: kafkaBrokers, elasticsearchUrl, stackKind).
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findDockerEngine } from './support/docker-engine';
import type { StackKind } from './support/provided-context';

interface Endpoints {
  kafkaBrokers: string[];
  elasticsearchUrl: string;
  stackKind: StackKind;
  teardown?: () => Promise<void>;
}

function log(message: string): void {
  process.stderr.write(`[global-setup] ${message}\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = project.config.root ?? process.cwd();
  const release = await sharedEndpoints(root);
  const endpoints = release.endpoints;
  project.provide('kafkaBrokers', endpoints.kafkaBrokers);
  project.provide('elasticsearchUrl', endpoints.elasticsearchUrl);
  project.provide('stackKind', endpoints.stackKind);
  return release.teardown;
}

interface SharedStack {
  endpoints: Promise<Endpoints>;
  users: number;
}
const SHARED = Symbol.for('tuxwatch.test.stack');

/**
 * The endpoints, resolved once per vitest process however many projects ask: vitest runs each project's global
 * setup (the same file, loaded once per project) in its main process, so the promise lives on globalThis. The
 * stack is torn down when the last project that asked for it is done.
 */
async function sharedEndpoints(
  root: string,
): Promise<{ endpoints: Endpoints; teardown: () => Promise<void> }> {
  const holder = globalThis as { [SHARED]?: SharedStack };
  let shared = holder[SHARED];
  if (!shared) {
    const endpoints = resolveEndpoints(root).then((e) => {
      log(`${e.stackKind}: kafka ${e.kafkaBrokers.join(',')}, elasticsearch ${e.elasticsearchUrl}`);
      return e;
    });
    shared = holder[SHARED] = { endpoints, users: 0 };
  }
  shared.users++;
  const endpoints = await shared.endpoints;
  return {
    endpoints,
    teardown: async () => {
      if (--shared.users > 0) return;
      delete holder[SHARED];
      await endpoints.teardown?.();
    },
  };
}

async function resolveEndpoints(root: string): Promise<Endpoints> {
  const forced = process.env.TUXWATCH_TEST_STACK?.trim().toLowerCase() || undefined;
  if (forced && !['env', 'testcontainers', 'local'].includes(forced)) {
    throw new Error(`TUXWATCH_TEST_STACK must be env, testcontainers or local (got "${forced}")`);
  }

  const fromEnv = endpointsFromEnv();
  if (fromEnv && (!forced || forced === 'env')) return fromEnv;
  if (forced === 'env') {
    throw new Error(
      'TUXWATCH_TEST_STACK=env needs TUXWATCH_TEST_KAFKA_BROKERS and TUXWATCH_TEST_ELASTICSEARCH_URL',
    );
  }

  if (forced === 'testcontainers') {
    const engine = await findDockerEngine();
    if ('reason' in engine)
      throw new Error(`TUXWATCH_TEST_STACK=testcontainers, but no Docker engine: ${engine.reason}`);
    return startContainers();
  }
  return localStack(root);
}

// ------------------------------------------------------------------------------------------------ a. environment

function endpointsFromEnv(): Endpoints | undefined {
  const brokers = (process.env.TUXWATCH_TEST_KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const esUrl = process.env.TUXWATCH_TEST_ELASTICSEARCH_URL?.trim();
  if (brokers.length === 0 && !esUrl) return undefined;
  if (brokers.length === 0 || !esUrl) {
    throw new Error('set both TUXWATCH_TEST_KAFKA_BROKERS and TUXWATCH_TEST_ELASTICSEARCH_URL, or neither');
  }
  return { kafkaBrokers: brokers, elasticsearchUrl: esUrl.replace(/\/+$/, ''), stackKind: 'env' };
}

// ------------------------------------------------------------------------------------------------ Testcontainers (asked for)

async function startContainers(): Promise<Endpoints> {
  const kafkaImage = process.env.TUXWATCH_TEST_KAFKA_IMAGE ?? 'confluentinc/cp-kafka:8.1.0'; // Kafka 4.1
  const esImage = process.env.TUXWATCH_TEST_ES_IMAGE ?? 'docker.elastic.co/elasticsearch/elasticsearch:9.5.3';
  log(`starting containers ${kafkaImage} and ${esImage}`);
  const [{ KafkaContainer }, { ElasticsearchContainer }] = await Promise.all([
    import('@testcontainers/kafka'),
    import('@testcontainers/elasticsearch'),
  ]);
  const [kafkaResult, esResult] = await Promise.allSettled([
    new KafkaContainer(kafkaImage)
      .withEnvironment({ KAFKA_NUM_PARTITIONS: '3', KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true' })
      .start(),
    new ElasticsearchContainer(esImage)
      .withEnvironment({
        'xpack.security.enabled': 'false',
        'cluster.routing.allocation.disk.threshold_enabled': 'false',
        ES_JAVA_OPTS: '-Xms512m -Xmx512m',
      })
      .start(),
  ]);
  if (kafkaResult.status === 'rejected' || esResult.status === 'rejected') {
    if (kafkaResult.status === 'fulfilled') await kafkaResult.value.stop().catch(() => undefined);
    if (esResult.status === 'fulfilled') await esResult.value.stop().catch(() => undefined);
    const reason =
      kafkaResult.status === 'rejected' ? kafkaResult.reason : (esResult as PromiseRejectedResult).reason;
    throw new Error(`Testcontainers failed to start the stack: ${String(reason)}`, { cause: reason });
  }
  const kafka = kafkaResult.value;
  const es = esResult.value;
  return {
    // @testcontainers/kafka exposes the host listener on container port 9093
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    elasticsearchUrl: es.getHttpUrl(),
    stackKind: 'testcontainers',
    teardown: async () => {
      await Promise.allSettled([kafka.stop(), es.stop()]);
    },
  };
}

// ------------------------------------------------------------------------------------------------ b. local stack

function tcpOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function esHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: AbortSignal.timeout(5_000),
    });
    return res.status === 200;
  } catch {
    return false;
  }
}

function runScript(script: string, root: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [script], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`${script} failed (${signal ?? `exit ${code}`}); see the [stack] output above`));
    });
  });
}

async function localStack(root: string): Promise<Endpoints> {
  const kafkaPort = Number(process.env.KAFKA_PORT ?? 9092);
  const esPort = Number(process.env.ES_PORT ?? 9200);
  const kafkaBrokers = [`127.0.0.1:${kafkaPort}`];
  const elasticsearchUrl = `http://127.0.0.1:${esPort}`;
  const up = resolve(root, 'scripts/stack/up.sh');
  const down = resolve(root, 'scripts/stack/down.sh');

  const [kafkaUp, esUp] = await Promise.all([tcpOpen('127.0.0.1', kafkaPort), esHealthy(elasticsearchUrl)]);
  if (kafkaUp && esUp) {
    return { kafkaBrokers, elasticsearchUrl, stackKind: 'local-stack-reused' };
  }

  log(`starting the local stack (${up}); first run downloads Kafka and Elasticsearch`);
  await runScript(up, root);
  const startedHere = !kafkaUp && !esUp;
  const keep = process.env.TUXWATCH_TEST_KEEP_STACK === '1';
  return {
    kafkaBrokers,
    elasticsearchUrl,
    stackKind: 'local-stack',
    teardown:
      startedHere && !keep
        ? async () => {
            await runScript(down, root);
          }
        : undefined,
  };
}
