import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES } from '../../../src/config/env.schema';
import { loadConfig } from '../../../src/config/load-config';
import {
  environmentOf,
  formatErrors,
  interpolate,
  interpolateDocument,
  isPortSpec,
  validateCompose,
  type Reference,
} from './compose-schema';
import { finalHealthcheck, parseDockerfile } from './dockerfile-parser';

interface Healthcheck {
  test?: string | string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | { target?: number; published?: number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const ROOT = join(__dirname, '..', '..', '..');
const RAW = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose;
/** What `docker compose up` sees with nothing set in the shell and no .env file. */
const references: Reference[] = [];
const compose = interpolateDocument(RAW, {}, references);
const services = compose.services;
const tuxwatch = services['tuxwatch']!;
const tuxwatchEnv = environmentOf(tuxwatch);

const image = (ref: string) => {
  const m = /^(?<repo>(?:[^/:]+(?::\d+)?\/)?[^:@]+)(?::(?<tag>[^@]+))?(?:@(?<digest>.+))?$/.exec(ref);
  if (!m?.groups) throw new Error(`cannot read image reference ${ref}`);
  const tag = m.groups['tag'];
  const [major, minor] = (tag ?? '').split(/[.-]/).map(Number);
  return { repo: m.groups['repo']!, tag, major, minor };
};

describe('docker-compose.yml: Compose specification schema', () => {
  it('validates against the Compose specification JSON schema with zero errors', () => {
    const errors = validateCompose(compose);
    expect(errors, formatErrors(errors)).toEqual([]);
  });

  it('also validates as written (before interpolation)', () => {
    const errors = validateCompose(RAW);
    expect(errors, formatErrors(errors)).toEqual([]);
  });

  const broken: [string, (c: Compose & Record<string, unknown>) => void, string][] = [
    [
      "ports is not a list: services.tuxwatch.ports: 'oops'",
      (c) => void (c.services['tuxwatch']!.ports = 'oops' as never),
      '/services/tuxwatch/ports',
    ],
    [
      'a port that is not a port: 99999:8080',
      (c) => void (c.services['tuxwatch']!.ports = ['99999:8080']),
      '/services/tuxwatch/ports/0',
    ],
    [
      'unknown service key (typo): depends_onn',
      (c) => void ((c.services['tuxwatch'] as Record<string, unknown>)['depends_onn'] = ['kafka']),
      '/services/tuxwatch',
    ],
    [
      'unknown depends_on condition: service_happy',
      (c) => void (c.services['tuxwatch']!.depends_on = { kafka: { condition: 'service_happy' } }),
      '/services/tuxwatch/depends_on',
    ],
    [
      'healthcheck interval not a duration: soon',
      (c) => void (c.services['kafka']!.healthcheck!.interval = 'soon'),
      '/services/kafka/healthcheck/interval',
    ],
    [
      'healthcheck interval in ISO 8601 instead of Compose duration: PT10S',
      (c) => void (c.services['kafka']!.healthcheck!.interval = 'PT10S'),
      '/services/kafka/healthcheck/interval',
    ],
    [
      'environment value that is an object',
      (c) => void (c.services['tuxwatch']!.environment = { KAFKA_BROKERS: { host: 'kafka' } }),
      '/services/tuxwatch/environment',
    ],
    ['unknown top-level key: servics', (c) => void (c['servics'] = {}), ''],
  ];
  it.each(broken)('rejects a broken copy: %s', (_name, breakIt, path) => {
    const copy = structuredClone(compose) as Compose & Record<string, unknown>;
    breakIt(copy);
    const errors = validateCompose(copy);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((e) => e.instancePath === path || e.instancePath.startsWith(`${path}/`))).toBe(true);
  });

  it('reads port specifications the way Compose does', () => {
    for (const ok of [
      '8080',
      '8080:8080',
      '127.0.0.1:8080:8080',
      '127.0.0.1::80',
      '[::1]:9200:9200',
      '9000-9010:9000-9010',
      '53:53/udp',
    ])
      expect(isPortSpec(ok), ok).toBe(true);
    for (const bad of ['oops', '70000', '1.2.3:80:80', '80:80:80:80', '80/icmp', ''])
      expect(isPortSpec(bad), bad).toBe(false);
  });
});

describe('docker-compose.yml: interpolation', () => {
  it('interpolates like Compose', () => {
    const env = { SET: 'v', EMPTY: '' };
    expect(interpolate('${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $SET $$SET ${UNSET}', env)).toBe(
      'v d d  v $SET ',
    );
    expect(() => interpolate('${UNSET:?needed}', env)).toThrow(/UNSET: needed/);
  });

  it('every variable the file refers to has a default: `docker compose up` needs no .env', () => {
    expect(references.filter((r) => !r.hasDefault).map((r) => r.name)).toEqual([]);
  });
});

describe('docker-compose.yml: the tuxwatch service', () => {
  it('sets only environment variables the service reads (ENV_VARIABLES): no typos, no unknown names', () => {
    const known = new Set<string>(ENV_VARIABLES);
    const unknown = Object.keys(tuxwatchEnv).filter((k) => !known.has(k));
    expect(unknown, `not in src/config/env.schema.ts: ${unknown.join(', ')}`).toEqual([]);
  });

  it('sets the required ones: KAFKA_BROKERS, ELASTICSEARCH_URL', () => {
    expect(tuxwatchEnv['KAFKA_BROKERS']).toBeTruthy();
    expect(tuxwatchEnv['ELASTICSEARCH_URL']).toBeTruthy();
  });

  it('is a valid configuration: loadConfig accepts it', () => {
    const config = loadConfig(tuxwatchEnv);
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    expect(config.elasticsearch.url).toBe('http://elasticsearch:9200');
    expect(config.kafka.groupId).toBe('tuxwatch');
    expect(config.kafka.topics).toEqual([
      'linux.syslog',
      'linux.auth',
      'linux.fim',
      'linux.sockets',
      'linux.audit',
      'linux.snapshot',
    ]);
    expect(config.kafka.deadLetterTopic).toBe('tuxwatch.dead-letter');
    expect(config.timezone).toBe('UTC');
    expect(config.logLevel).toBe('info');
  });

  it('stays valid with the documented overrides (TUXWATCH_TIMEZONE, LOG_LEVEL from the shell)', () => {
    const env = environmentOf(
      interpolateDocument(RAW, { TUXWATCH_TIMEZONE: 'Europe/Berlin', LOG_LEVEL: 'debug' }).services[
        'tuxwatch'
      ]!,
    );
    const config = loadConfig(env);
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.logLevel).toBe('debug');
  });

  it('talks to the kafka and elasticsearch services on the addresses they advertise', () => {
    const config = loadConfig(tuxwatchEnv);
    const kafkaEnv = environmentOf(services['kafka']!);
    const advertised = kafkaEnv['KAFKA_ADVERTISED_LISTENERS']!.split(',').map((l) =>
      l.replace(/^[A-Z_]+:\/\//, ''),
    );
    for (const b of config.kafka.brokers) expect(advertised).toContain(b);
    const es = new URL(config.elasticsearch.url);
    expect(services[es.hostname], `service ${es.hostname}`).toBeDefined();
    expect(es.port).toBe('9200');
  });

  it('is built from this repository and restarts unless stopped', () => {
    const build = typeof tuxwatch.build === 'string' ? { context: tuxwatch.build } : tuxwatch.build;
    expect(build?.context).toBe('.');
    expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
    expect(tuxwatch.restart).toBe('unless-stopped');
  });

  it('waits for healthy kafka and elasticsearch', () => {
    expect(tuxwatch.depends_on).toMatchObject({
      kafka: { condition: 'service_healthy' },
      elasticsearch: { condition: 'service_healthy' },
    });
  });

  it('publishes the health port it configures, and its healthcheck is the Dockerfile HEALTHCHECK', () => {
    const port = loadConfig(tuxwatchEnv).httpPort;
    expect(port).toBe(8080);
    expect(tuxwatch.ports?.map(String).some((p) => p.endsWith(`:${port}`))).toBe(true);
    const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(tuxwatch.healthcheck?.test).toEqual(['CMD', ...finalHealthcheck(dockerfile)]);
  });
});

describe('docker-compose.yml: the stack', () => {
  it('has kafka, elasticsearch, kibana and tuxwatch', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['kafka', 'elasticsearch', 'kibana', 'tuxwatch']),
    );
  });

  it('pins images with compatible versions: Elasticsearch and Kibana the same 9.x, Kafka 4.x', () => {
    const es = image(services['elasticsearch']!.image!);
    const kibana = image(services['kibana']!.image!);
    const kafka = image(services['kafka']!.image!);
    expect(es.repo).toBe('docker.elastic.co/elasticsearch/elasticsearch');
    expect(kibana.repo).toBe('docker.elastic.co/kibana/kibana');
    expect(es.major).toBe(9);
    expect(kibana.tag).toBe(es.tag);
    expect(kafka.repo).toBe('apache/kafka');
    expect(kafka.major).toBe(4);
    for (const [name, s] of Object.entries(services)) {
      if (s.build !== undefined) continue;
      expect(image(s.image!).tag, `${name}: pinned tag`).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('the Elasticsearch server is no older than the client (clients are forward compatible only)', () => {
    const client = (
      JSON.parse(
        readFileSync(join(ROOT, 'node_modules', '@elastic', 'elasticsearch', 'package.json'), 'utf8'),
      ) as { version: string }
    ).version;
    const [cMajor, cMinor] = client.split('.').map(Number);
    const es = image(services['elasticsearch']!.image!);
    expect(es.major).toBe(cMajor);
    expect(es.minor).toBeGreaterThanOrEqual(cMinor!);
  });

  it('kafka runs KRaft as a single combined broker+controller node', () => {
    const env = environmentOf(services['kafka']!);
    expect(env['KAFKA_PROCESS_ROLES']!.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env['KAFKA_CONTROLLER_QUORUM_VOTERS']).toBe(`${env['KAFKA_NODE_ID']}@kafka:9093`);
    expect(env['KAFKA_LISTENERS']).toMatch(/(^|,)PLAINTEXT:\/\/:9092(,|$)/);
    expect(env['KAFKA_LISTENERS']).toMatch(/(^|,)CONTROLLER:\/\/:9093(,|$)/);
    expect(env['KAFKA_ADVERTISED_LISTENERS']).toMatch(/(^|,)PLAINTEXT:\/\/kafka:9092(,|$)/);
    expect(env['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR']).toBe('1');
    expect(env['KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR']).toBe('1');
    // every listener has a security protocol
    const map = new Set(env['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP']!.split(',').map((p) => p.split(':')[0]));
    for (const l of env['KAFKA_LISTENERS']!.split(',')) expect(map).toContain(l.split(':')[0]);
  });

  it('elasticsearch is a single node without security, 512m heap, disk threshold off', () => {
    const env = environmentOf(services['elasticsearch']!);
    expect(env['discovery.type']).toBe('single-node');
    expect(env['xpack.security.enabled']).toBe('false');
    expect(env['ES_JAVA_OPTS']).toBe('-Xms512m -Xmx512m');
    expect(env['cluster.routing.allocation.disk.threshold_enabled']).toBe('false');
    const kibana = environmentOf(services['kibana']!);
    expect(kibana['ELASTICSEARCH_HOSTS']).toContain('http://elasticsearch:9200');
    expect(services['kibana']!.depends_on).toMatchObject({ elasticsearch: { condition: 'service_healthy' } });
  });

  it('has healthchecks on kafka, elasticsearch, kibana and tuxwatch', () => {
    for (const name of ['kafka', 'elasticsearch', 'kibana', 'tuxwatch']) {
      const hc = services[name]!.healthcheck;
      expect(hc?.test, `${name}.healthcheck.test`).toBeDefined();
      expect(hc?.disable).not.toBe(true);
    }
    expect(JSON.stringify(services['kafka']!.healthcheck!.test)).toContain(
      '/opt/kafka/bin/kafka-topics.sh --bootstrap-server localhost:9092 --list',
    );
    expect(JSON.stringify(services['elasticsearch']!.healthcheck!.test)).toContain(
      '_cluster/health?wait_for_status=yellow',
    );
  });

  it('every service_healthy dependency points to a service that has a healthcheck', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.depends_on || Array.isArray(s.depends_on)) continue;
      for (const [dep, { condition }] of Object.entries(s.depends_on)) {
        expect(services[dep], `${name} depends on unknown service ${dep}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(services[dep]!.healthcheck?.test, `${name} waits for ${dep} to be healthy`).toBeDefined();
      }
    }
  });

  it('keeps data in named volumes that are declared', () => {
    const declared = new Set(Object.keys(compose.volumes ?? {}));
    const used = Object.values(services).flatMap((s) =>
      (s.volumes ?? [])
        .map((v) => (typeof v === 'string' ? v.split(':')[0]! : v.type === 'volume' ? v.source : undefined))
        .filter((src): src is string => !!src && !/^[./~]/.test(src)),
    );
    expect(used).toEqual(expect.arrayContaining(['kafka-data', 'es-data']));
    for (const v of used) expect(declared, `volume ${v} declared`).toContain(v);
  });
});
