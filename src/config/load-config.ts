import { readFileSync } from 'node:fs';
import type { InputKind } from '../domain/input-kind';
import type { ZoneRule } from '../normalize/zone-rules';
import { ENV_SCHEMA, ENV_VARIABLES, type Env } from './env.schema';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The service's configuration, typed and with files (CA, certs) already read. */
export interface ServiceConfig {
  readonly kafka: {
    readonly brokers: string[];
    readonly groupId: string;
    readonly clientId: string;
    readonly topics: string[];
    readonly topicKinds: Readonly<Record<string, InputKind>>;
    readonly deadLetterTopic: string;
    /** compacted topic holding each host's state, one partition per input partition number */
    readonly stateTopic: string;
    /** how long the broker keeps a silent member (a killed process) in the group, holding its partitions */
    readonly sessionTimeoutMs: number;
    readonly ssl?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
    readonly sasl?: {
      mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
      username: string;
      password: string;
    };
  };
  readonly elasticsearch: {
    readonly url: string;
    readonly apiKey?: string;
    readonly username?: string;
    readonly password?: string;
    readonly ca?: string;
    readonly rejectUnauthorized: boolean;
  };
  /** alert indices are `<prefix>YYYY.MM`; always under tuxwatch-alerts-* (CONTRACT §4) */
  readonly alertIndexPrefix: string;
  readonly rules: string[];
  /** how often the rule files are checked for changes; 0: never */
  readonly rulesReloadMs: number;
  /** repeats of one finding inside this window fold into one alert with a count; 0: off */
  readonly suppressWindowMs: number;
  /** a YAML table of expected listeners merged over the shipped one */
  readonly expectedListeners?: string;
  /** a host whose auth log stays silent this long raises auth-log-silence; 0: off */
  readonly authSilenceMs: number;
  readonly authSilenceCheckMs: number;
  readonly timezone: string;
  /** zones per topic and per host-name pattern, between a record's own header and `timezone` */
  readonly zoneRules: readonly ZoneRule[];
  readonly maxRecordBytes: number;
  readonly batchSize: number;
  readonly httpPort: number;
  /** address the health and metrics server listens on */
  readonly httpHost: string;
  readonly logLevel: Env['LOG_LEVEL'];
}

/**
 * Validates the environment once, at start. Every problem names its variable; values are never echoed,
 * since several of them are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const input = Object.fromEntries(ENV_VARIABLES.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const result = ENV_SCHEMA.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`),
    );
  }
  const e = result.data;
  const problems: string[] = [];
  const readPem = (name: keyof Env, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      problems.push(`${name} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
      return undefined;
    }
  };
  const ssl = e.KAFKA_SSL
    ? {
        ca: readPem('KAFKA_SSL_CA_FILE', e.KAFKA_SSL_CA_FILE),
        cert: readPem('KAFKA_SSL_CERT_FILE', e.KAFKA_SSL_CERT_FILE),
        key: readPem('KAFKA_SSL_KEY_FILE', e.KAFKA_SSL_KEY_FILE),
        rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED,
      }
    : undefined;
  const esCa = readPem('ELASTICSEARCH_CA_FILE', e.ELASTICSEARCH_CA_FILE);
  if (problems.length) throw new ConfigError(problems);
  return {
    kafka: {
      brokers: e.KAFKA_BROKERS,
      groupId: e.KAFKA_GROUP_ID,
      clientId: e.KAFKA_CLIENT_ID,
      topics: e.KAFKA_TOPICS,
      topicKinds: (e.KAFKA_TOPIC_KINDS ?? {}) as Record<string, InputKind>,
      deadLetterTopic: e.KAFKA_DEAD_LETTER_TOPIC,
      stateTopic: e.KAFKA_STATE_TOPIC,
      sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
      ssl,
      sasl: e.KAFKA_SASL_MECHANISM
        ? {
            mechanism: e.KAFKA_SASL_MECHANISM,
            username: e.KAFKA_SASL_USERNAME!,
            password: e.KAFKA_SASL_PASSWORD!,
          }
        : undefined,
    },
    elasticsearch: {
      url: e.ELASTICSEARCH_URL,
      apiKey: e.ELASTICSEARCH_API_KEY,
      username: e.ELASTICSEARCH_USERNAME,
      password: e.ELASTICSEARCH_PASSWORD,
      ca: esCa,
      rejectUnauthorized: e.ELASTICSEARCH_TLS_REJECT_UNAUTHORIZED,
    },
    alertIndexPrefix: e.TUXWATCH_ALERT_INDEX_PREFIX,
    rulesReloadMs: e.TUXWATCH_RULES_RELOAD_MS,
    suppressWindowMs: e.TUXWATCH_SUPPRESS_WINDOW,
    expectedListeners: e.TUXWATCH_EXPECTED_LISTENERS,
    authSilenceMs: e.TUXWATCH_AUTH_SILENCE,
    authSilenceCheckMs: e.TUXWATCH_AUTH_SILENCE_CHECK,
    rules: e.TUXWATCH_RULES,
    timezone: e.TUXWATCH_TIMEZONE,
    zoneRules: e.TUXWATCH_TIMEZONES ?? [],
    maxRecordBytes: e.TUXWATCH_MAX_RECORD_BYTES,
    batchSize: e.TUXWATCH_BATCH_SIZE,
    httpPort: e.TUXWATCH_HTTP_PORT,
    httpHost: e.TUXWATCH_HTTP_HOST,
    logLevel: e.LOG_LEVEL,
  };
}

/** What `collect --kafka` needs: the brokers and how to reach them, nothing of the service. */
export type KafkaConnection = Pick<ServiceConfig['kafka'], 'brokers' | 'clientId' | 'ssl' | 'sasl'>;

const CONNECTION_VARIABLES = [
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_REJECT_UNAUTHORIZED',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
] as const;

/**
 * The Kafka connection from the same variables as the service, checked by the same schema (the other
 * variables take their defaults, a placeholder stands in for ELASTICSEARCH_URL, which is not used).
 */
export function loadKafkaConnection(env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const only = Object.fromEntries(CONNECTION_VARIABLES.map((k) => [k, env[k]]));
  const { kafka } = loadConfig({ ...only, ELASTICSEARCH_URL: 'http://unused.invalid' });
  return { brokers: kafka.brokers, clientId: kafka.clientId, ssl: kafka.ssl, sasl: kafka.sasl };
}
