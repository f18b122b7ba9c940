/**
 * Global setup of the vitest "integration" project (runs only when a *.int.test.ts file is queued).
 *
 * Decides the Kafka and Elasticsearch endpoints, in this order:
 *  a. the environment: TUXWATCH_TEST_KAFKA_BROKERS (comma-separated) and TUXWATCH_TEST_ELASTICSEARCH_URL (both);
 *  b. Testcontainers, when a Docker engine answers (TUXWATCH_TEST_KAFKA_IMAGE / TUXWATCH_TEST_ES_IMAGE);
 *  c. the local stack (scripts/stack/up.sh on KAFKA_PORT / ES_PORT): reused when both already answer, else
 *     started here and stopped in teardown (kept running with TUXWATCH_TEST_KEEP_STACK=1).
 * TUXWATCH_TEST_STACK=env|testcontainers|local forces one of them.
 *
 * Tests read the endpoints with test/support/endpoints.ts (inject keys: kafkaBrokers, elasticsearchUrl, stackKind).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { StackKind } from './support/provided-context';

interface Endpoints {
  kafkaBrokers: string[];
  elasticsearchUrl: string;
  stackKind: StackKind;
  teardown?: () => Promise<void>;
}

const DOCKER_CHECK_TIMEOUT_MS = 8_000;

function log(message: string): void {
  process.stderr.write(`[global-setup] ${message}\n`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = project.config.root ?? process.cwd();
  const endpoints = await resolveEndpoints(root);
  log(
    `${endpoints.stackKind}: kafka ${endpoints.kafkaBrokers.join(',')}, elasticsearch ${endpoints.elasticsearchUrl}`,
  );
  project.provide('kafkaBrokers', endpoints.kafkaBrokers);
  project.provide('elasticsearchUrl', endpoints.elasticsearchUrl);
  project.provide('stackKind', endpoints.stackKind);
  return async () => {
    await endpoints.teardown?.();
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

  if (forced === 'testcontainers' || (!forced && (await dockerAvailable()))) {
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

// ------------------------------------------------------------------------------------------------ b. Testcontainers

/** True when a Docker (compatible) engine answers; never waits longer than DOCKER_CHECK_TIMEOUT_MS. */
async function dockerAvailable(): Promise<boolean> {
  const home = homedir();
  const hints = [
    process.env.DOCKER_HOST,
    process.env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE,
    existsSync(join(home, '.testcontainers.properties')) ? 'properties' : undefined,
    ...[
      '/var/run/docker.sock',
      process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'docker.sock') : '',
      process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'podman', 'podman.sock') : '',
      join(home, '.docker', 'run', 'docker.sock'),
      join(home, '.docker', 'desktop', 'docker.sock'),
    ].filter((p) => p !== '' && existsSync(p)),
  ].filter(Boolean);
  if (hints.length === 0) return false; // nothing to talk to: skip loading testcontainers at all

  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), DOCKER_CHECK_TIMEOUT_MS);
      timer.unref();
    });
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    log(`container runtime found (${client.info.containerRuntime.host})`);
    return true;
  } catch (err) {
    log(
      `no usable container runtime (${err instanceof Error ? err.message : String(err)}); using the local stack`,
    );
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}

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

// ------------------------------------------------------------------------------------------------ c. local stack

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
