import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_VARIABLES } from '../../../src/config/env.schema';
import { ConfigError, loadConfig } from '../../../src/config/load-config';

/** The input topics read when KAFKA_TOPICS is unset (CONTRACT §4), as the contract writes them. */
const DEFAULT_TOPICS = [
  'linux.syslog',
  'linux.auth',
  'linux.fim',
  'linux.sockets',
  'linux.audit',
  'linux.snapshot',
];

/** The smallest valid environment: the two required variables. */
const BASE = { KAFKA_BROKERS: 'kafka:9092', ELASTICSEARCH_URL: 'http://elasticsearch:9200' } as const;

type Overrides = Record<string, string | undefined>;
const envWith = (overrides: Overrides): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...BASE };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
};

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('loadConfig accepted an invalid environment');
};

let dir: string;
const PEM = {
  ca: '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n',
  cert: '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n',
  key: '-----BEGIN PRIVATE KEY-----\nMIIBkey\n-----END PRIVATE KEY-----\n',
  esCa: '-----BEGIN CERTIFICATE-----\nMIIBesca\n-----END CERTIFICATE-----\n',
};
const file = (name: keyof typeof PEM): string => join(dir, `${name}.pem`);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tuxwatch-config-'));
  for (const name of Object.keys(PEM) as (keyof typeof PEM)[]) writeFileSync(file(name), PEM[name]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig: bad or missing values', () => {
  const missing = () => join(dir, 'does-not-exist.pem');
  // [case, overrides, the variable the message must name]
  const cases: [string, () => Overrides, string][] = [
    ['missing KAFKA_BROKERS', () => ({ KAFKA_BROKERS: undefined }), 'KAFKA_BROKERS'],
    ['empty KAFKA_BROKERS (empty is unset)', () => ({ KAFKA_BROKERS: '' }), 'KAFKA_BROKERS'],
    ['KAFKA_BROKERS without a port', () => ({ KAFKA_BROKERS: 'nohostport' }), 'KAFKA_BROKERS'],
    ['KAFKA_BROKERS with one bad entry', () => ({ KAFKA_BROKERS: 'a:9092,b' }), 'KAFKA_BROKERS'],
    ['missing ELASTICSEARCH_URL', () => ({ ELASTICSEARCH_URL: undefined }), 'ELASTICSEARCH_URL'],
    ['ELASTICSEARCH_URL not http(s)', () => ({ ELASTICSEARCH_URL: 'ftp://x' }), 'ELASTICSEARCH_URL'],
    ['TUXWATCH_TIMEZONE not an IANA zone', () => ({ TUXWATCH_TIMEZONE: 'Mars/Base' }), 'TUXWATCH_TIMEZONE'],
    [
      'KAFKA_SASL_MECHANISM without credentials',
      () => ({ KAFKA_SASL_MECHANISM: 'scram-sha-512' }),
      'KAFKA_SASL_MECHANISM',
    ],
    [
      'KAFKA_SASL_MECHANISM without password',
      () => ({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'tux' }),
      'KAFKA_SASL_PASSWORD',
    ],
    ['KAFKA_SASL_MECHANISM unknown', () => ({ KAFKA_SASL_MECHANISM: 'gssapi' }), 'KAFKA_SASL_MECHANISM'],
    [
      'KAFKA_SSL_CA_FILE missing, KAFKA_SSL=true',
      () => ({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: missing() }),
      'KAFKA_SSL_CA_FILE',
    ],
    [
      'KAFKA_SSL_CERT_FILE without KAFKA_SSL_KEY_FILE',
      () => ({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file('cert') }),
      'KAFKA_SSL_KEY_FILE',
    ],
    [
      'KAFKA_SSL_KEY_FILE missing, KAFKA_SSL=true',
      () => ({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: file('cert'), KAFKA_SSL_KEY_FILE: missing() }),
      'KAFKA_SSL_KEY_FILE',
    ],
    ['KAFKA_SSL not a boolean', () => ({ KAFKA_SSL: 'maybe' }), 'KAFKA_SSL'],
    ['ELASTICSEARCH_CA_FILE missing', () => ({ ELASTICSEARCH_CA_FILE: missing() }), 'ELASTICSEARCH_CA_FILE'],
    [
      'ELASTICSEARCH_USERNAME without password',
      () => ({ ELASTICSEARCH_USERNAME: 'elastic' }),
      'ELASTICSEARCH_PASSWORD',
    ],
    [
      'ELASTICSEARCH_API_KEY together with a username',
      () => ({ ELASTICSEARCH_API_KEY: 'k', ELASTICSEARCH_USERNAME: 'u', ELASTICSEARCH_PASSWORD: 'p' }),
      'ELASTICSEARCH_API_KEY',
    ],
    ['TUXWATCH_HTTP_PORT out of range', () => ({ TUXWATCH_HTTP_PORT: '70000' }), 'TUXWATCH_HTTP_PORT'],
    ['TUXWATCH_HTTP_PORT not a number', () => ({ TUXWATCH_HTTP_PORT: 'http' }), 'TUXWATCH_HTTP_PORT'],
    ['TUXWATCH_BATCH_SIZE zero', () => ({ TUXWATCH_BATCH_SIZE: '0' }), 'TUXWATCH_BATCH_SIZE'],
    [
      'TUXWATCH_MAX_RECORD_BYTES fractional',
      () => ({ TUXWATCH_MAX_RECORD_BYTES: '1.5' }),
      'TUXWATCH_MAX_RECORD_BYTES',
    ],
    [
      'TUXWATCH_MAX_RECORD_BYTES past 1 GiB',
      () => ({ TUXWATCH_MAX_RECORD_BYTES: '99999999999999999999' }),
      'TUXWATCH_MAX_RECORD_BYTES',
    ],
    ['LOG_LEVEL unknown', () => ({ LOG_LEVEL: 'loud' }), 'LOG_LEVEL'],
    [
      'KAFKA_TOPIC_KINDS with an unknown kind',
      () => ({ KAFKA_TOPIC_KINDS: 'linux.fim=nonsense' }),
      'KAFKA_TOPIC_KINDS',
    ],
    ['KAFKA_TOPIC_KINDS without a kind', () => ({ KAFKA_TOPIC_KINDS: 'linux.fim' }), 'KAFKA_TOPIC_KINDS'],
    ['KAFKA_TOPICS with an invalid name', () => ({ KAFKA_TOPICS: 'linux.syslog,bad topic' }), 'KAFKA_TOPICS'],
    [
      'KAFKA_DEAD_LETTER_TOPIC invalid',
      () => ({ KAFKA_DEAD_LETTER_TOPIC: 'dead/letter' }),
      'KAFKA_DEAD_LETTER_TOPIC',
    ],
    [
      'KAFKA_SSL_CA_FILE without KAFKA_SSL',
      () => ({ KAFKA_SSL_CA_FILE: '/etc/ssl/ca.pem' }),
      'KAFKA_SSL_CA_FILE',
    ],
    [
      'SASL credentials without a mechanism',
      () => ({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
      'KAFKA_SASL_MECHANISM',
    ],
    [
      'dead-letter topic among the input topics',
      () => ({ KAFKA_TOPICS: 'a,b', KAFKA_DEAD_LETTER_TOPIC: 'b' }),
      'KAFKA_DEAD_LETTER_TOPIC',
    ],
    [
      'state topic among the input topics',
      () => ({ KAFKA_TOPICS: 'a,b', KAFKA_STATE_TOPIC: 'a' }),
      'KAFKA_STATE_TOPIC',
    ],
    [
      'state topic the same as the dead-letter topic',
      () => ({ KAFKA_STATE_TOPIC: 'tuxwatch.dead-letter' }),
      'KAFKA_STATE_TOPIC',
    ],
    [
      'KAFKA_TOPIC_KINDS naming an unread topic',
      () => ({ KAFKA_TOPIC_KINDS: 'other=aide' }),
      'KAFKA_TOPIC_KINDS',
    ],
    ['TUXWATCH_RULES with no path', () => ({ TUXWATCH_RULES: ',' }), 'TUXWATCH_RULES'],
    [
      'ELASTICSEARCH_URL with junk after it',
      () => ({ ELASTICSEARCH_URL: 'http://es:9200 junk' }),
      'ELASTICSEARCH_URL',
    ],
    ['KAFKA_BROKERS port out of range', () => ({ KAFKA_BROKERS: 'k:99999' }), 'KAFKA_BROKERS'],
    ['blank KAFKA_GROUP_ID', () => ({ KAFKA_GROUP_ID: '   ' }), 'KAFKA_GROUP_ID'],
  ];

  it.each(cases)('%s: ConfigError naming the variable', (_name, overrides, variable) => {
    const env = envWith(overrides());
    const err = configError(env);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toContain(variable);
    // one problem line names it as a whole word (KAFKA_SSL must not be satisfied by KAFKA_SSL_CA_FILE)
    const word = new RegExp(`(^|\\s)${variable}(\\s|$)`);
    expect(err.problems.some((p) => word.test(p))).toBe(true);
    // values are never echoed (several are secrets); file paths are fine either way, other values must not show
    for (const [k, v] of Object.entries(overrides())) {
      if (v && v.length > 4 && !k.endsWith('_FILE') && !Object.values(BASE).includes(v as never))
        expect(err.message, `${k} value echoed`).not.toContain(v);
    }
  });

  it('reports every problem at once, one line each', () => {
    const err = configError(
      envWith({
        KAFKA_BROKERS: undefined,
        ELASTICSEARCH_URL: 'ftp://x',
        LOG_LEVEL: 'loud',
        TUXWATCH_TIMEZONE: 'Mars/Base',
      }),
    );
    for (const v of ['KAFKA_BROKERS', 'ELASTICSEARCH_URL', 'LOG_LEVEL', 'TUXWATCH_TIMEZONE'])
      expect(
        err.problems.filter((p) => p.startsWith(`${v} `)),
        v,
      ).toHaveLength(1);
    expect(err.message.split('\n')).toHaveLength(1 + err.problems.length);
  });

  it('ignores variables it does not read', () => {
    expect(() => loadConfig(envWith({ PATH: '/usr/bin', KAFKA_BROKER: 'typo:1' }))).not.toThrow();
  });
});

describe('loadConfig: secrets never appear in messages', () => {
  const SECRET = 's3cr3t-value';
  const cases: [string, Overrides][] = [
    [
      'KAFKA_SASL_PASSWORD with a bad KAFKA_BROKERS',
      {
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'tux',
        KAFKA_SASL_PASSWORD: SECRET,
        KAFKA_BROKERS: 'nohostport',
      },
    ],
    [
      'KAFKA_SASL_PASSWORD with an unknown KAFKA_SASL_MECHANISM',
      { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'tux', KAFKA_SASL_PASSWORD: SECRET },
    ],
    [
      'KAFKA_SASL_PASSWORD without a username',
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: SECRET },
    ],
    [
      'ELASTICSEARCH_PASSWORD with a bad ELASTICSEARCH_URL',
      { ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: SECRET, ELASTICSEARCH_URL: 'ftp://x' },
    ],
    ['ELASTICSEARCH_PASSWORD without a username', { ELASTICSEARCH_PASSWORD: SECRET }],
    [
      'ELASTICSEARCH_API_KEY together with a username',
      { ELASTICSEARCH_API_KEY: SECRET, ELASTICSEARCH_USERNAME: 'u', ELASTICSEARCH_PASSWORD: SECRET },
    ],
  ];
  it.each(cases)('%s', (_name, overrides) => {
    const err = configError(envWith(overrides));
    expect(err.message).not.toContain(SECRET);
    expect(err.problems.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
    expect(String(err.stack)).not.toContain(SECRET);
  });
});

describe('loadConfig: defaults (CONTRACT §4)', () => {
  const config = () => loadConfig({ ...BASE });

  it('topics linux.syslog, linux.auth, linux.fim, linux.sockets, linux.audit; group tuxwatch; dead-letter tuxwatch.dead-letter', () => {
    const { kafka } = config();
    expect(kafka.topics).toEqual(DEFAULT_TOPICS);
    expect(kafka.groupId).toBe('tuxwatch');
    expect(kafka.clientId).toBe('tuxwatch');
    expect(kafka.deadLetterTopic).toBe('tuxwatch.dead-letter');
    expect(kafka.topicKinds).toEqual({});
    expect(kafka.ssl).toBeUndefined();
    expect(kafka.sasl).toBeUndefined();
  });

  it('service defaults: UTC, port 8080, info, bundled detections, TLS verification on', () => {
    const c = config();
    expect(c.timezone).toBe('UTC');
    expect(c.httpPort).toBe(8080);
    expect(c.logLevel).toBe('info');
    expect(c.rules).toEqual(['detections']);
    expect(c.batchSize).toBe(2000);
    expect(c.maxRecordBytes).toBe(1024 * 1024);
    expect(c.elasticsearch).toEqual({
      url: 'http://elasticsearch:9200',
      apiKey: undefined,
      username: undefined,
      password: undefined,
      ca: undefined,
      rejectUnauthorized: true,
    });
  });

  it('empty values count as unset: the defaults apply', () => {
    const c = loadConfig({
      ...BASE,
      KAFKA_GROUP_ID: '',
      KAFKA_TOPICS: '',
      LOG_LEVEL: '',
      TUXWATCH_TIMEZONE: '',
    });
    expect(c.kafka.groupId).toBe('tuxwatch');
    expect(c.kafka.topics).toEqual(DEFAULT_TOPICS);
    expect(c.logLevel).toBe('info');
    expect(c.timezone).toBe('UTC');
  });

  it('reads process.env when called without an argument', () => {
    const saved = Object.fromEntries(ENV_VARIABLES.map((k) => [k, process.env[k]]));
    try {
      for (const k of ENV_VARIABLES) delete process.env[k];
      Object.assign(process.env, BASE, { KAFKA_GROUP_ID: 'from-process-env' });
      expect(loadConfig().kafka.groupId).toBe('from-process-env');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('loadConfig: values', () => {
  it('splits and trims lists', () => {
    const c = loadConfig({
      ...BASE,
      KAFKA_BROKERS: ' k1:9092 , k2.example.org:9093,[::1]:9094, ',
      KAFKA_TOPICS: 'a.b , c_d,',
      TUXWATCH_RULES: 'detections, /etc/tuxwatch/rules',
    });
    expect(c.kafka.brokers).toEqual(['k1:9092', 'k2.example.org:9093', '[::1]:9094']);
    expect(c.kafka.topics).toEqual(['a.b', 'c_d']);
    expect(c.rules).toEqual(['detections', '/etc/tuxwatch/rules']);
  });

  it('binds topics to input kinds', () => {
    const c = loadConfig({ ...BASE, KAFKA_TOPIC_KINDS: 'linux.fim=aide, linux.sockets=ss' });
    expect(c.kafka.topicKinds).toEqual({ 'linux.fim': 'aide', 'linux.sockets': 'ss' });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads boolean %s as %s', (text, value) => {
    expect(
      loadConfig({ ...BASE, ELASTICSEARCH_TLS_REJECT_UNAUTHORIZED: text }).elasticsearch.rejectUnauthorized,
    ).toBe(value);
  });

  it('coerces numbers', () => {
    const c = loadConfig({
      ...BASE,
      TUXWATCH_HTTP_PORT: '9100',
      TUXWATCH_BATCH_SIZE: '50',
      TUXWATCH_MAX_RECORD_BYTES: '4096',
    });
    expect([c.httpPort, c.batchSize, c.maxRecordBytes]).toEqual([9100, 50, 4096]);
  });

  it('SASL: mechanism, username and password together', () => {
    const c = loadConfig({
      ...BASE,
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'tux',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(c.kafka.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'tux', password: 'pw' });
  });

  it('Elasticsearch credentials: API key, or username and password', () => {
    expect(loadConfig({ ...BASE, ELASTICSEARCH_API_KEY: 'key' }).elasticsearch.apiKey).toBe('key');
    const basic = loadConfig({ ...BASE, ELASTICSEARCH_USERNAME: 'elastic', ELASTICSEARCH_PASSWORD: 'pw' });
    expect([basic.elasticsearch.username, basic.elasticsearch.password]).toEqual(['elastic', 'pw']);
  });
});

describe('loadConfig: TLS files are read', () => {
  it('KAFKA_SSL=true with CA, certificate and key files: their contents', () => {
    const c = loadConfig({
      ...BASE,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: file('ca'),
      KAFKA_SSL_CERT_FILE: file('cert'),
      KAFKA_SSL_KEY_FILE: file('key'),
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
    });
    expect(c.kafka.ssl).toEqual({ ca: PEM.ca, cert: PEM.cert, key: PEM.key, rejectUnauthorized: false });
  });

  it('KAFKA_SSL=true alone: TLS with the system CAs, verification on', () => {
    expect(loadConfig({ ...BASE, KAFKA_SSL: 'true' }).kafka.ssl).toEqual({
      ca: undefined,
      cert: undefined,
      key: undefined,
      rejectUnauthorized: true,
    });
  });

  it('ELASTICSEARCH_CA_FILE: its contents', () => {
    const c = loadConfig({
      ...BASE,
      ELASTICSEARCH_URL: 'https://es:9200',
      ELASTICSEARCH_CA_FILE: file('esCa'),
    });
    expect(c.elasticsearch.ca).toBe(PEM.esCa);
  });

  it('a directory instead of a file is reported, not thrown raw', () => {
    const err = configError({ ...BASE, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: dir });
    expect(err.problems).toEqual([expect.stringMatching(/^KAFKA_SSL_CA_FILE cannot be read: E[A-Z]+$/)]);
  });
});
