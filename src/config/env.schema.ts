import { isIP } from 'node:net';
import { z } from 'zod';
import { isInputKind } from '../domain/input-kind';
import { parseDuration } from '../alert/duration';
import { parseRecordLimit, RECORD_LIMIT_RULE } from './record-limit';
import { isValidZone } from '../normalize/time';
import { parseZoneRules } from '../normalize/zone-rules';

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const brokers = z
  .string({ message: 'is required (comma-separated host:port list)' })
  .transform(list)
  .refine((l) => l.length > 0 && l.every(isHostPort), {
    message: 'must be a comma-separated list of host:port (port 1-65535)',
  });

function isHostPort(b: string): boolean {
  const m = /^[A-Za-z0-9.\-_[\]:]+:(\d{1,5})$/.exec(b);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535;
}

const topics = z
  .string()
  .transform(list)
  .refine((l) => l.length > 0 && l.every((t) => /^[A-Za-z0-9._-]{1,249}$/.test(t)), {
    message: 'must be a comma-separated list of Kafka topic names',
  });

/** `topic=kind,topic=kind`: topics whose records are all of one input kind (no sniffing). */
const topicKinds = z
  .string()
  .transform(list)
  .refine((l) => l.every((p) => /^[^=]+=[^=]+$/.test(p) && isInputKind(p.split('=')[1]!)), {
    message: 'must be topic=kind pairs with kinds from CONTRACT §1',
  })
  .transform((l) => Object.fromEntries(l.map((p) => p.split('=') as [string, string])));

const url = z
  .string({ message: 'is required' })
  .refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

function isHttpUrl(v: string): boolean {
  if (/\s/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

const zone = z
  .string()
  .refine(isValidZone, { message: 'must be an IANA time zone such as Europe/Berlin or UTC' });

/** `90s`, `10m`, `1h`, `2d` or milliseconds, as milliseconds. */
const duration = (what: string) =>
  z.string().transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${what}` });
      return z.NEVER;
    }
    return ms;
  });

const positiveInt = z
  .string()
  .regex(/^\d+$/, 'must be a positive whole number')
  .transform(Number)
  .refine((n) => n > 0, 'must be a positive whole number');

/**
 * Every environment variable the service reads, validated once at start. Names are the interface operators
 * see (README, docker-compose.yml); a test keeps the three in step.
 */
export const ENV_SCHEMA = z
  .object({
    KAFKA_BROKERS: brokers,
    KAFKA_GROUP_ID: z.string().trim().min(1, 'must not be blank').default('tuxwatch'),
    KAFKA_CLIENT_ID: z.string().min(1).default('tuxwatch'),
    KAFKA_TOPICS: topics.default([
      'linux.syslog',
      'linux.auth',
      'linux.fim',
      'linux.sockets',
      'linux.audit',
      'linux.snapshot',
    ]),
    KAFKA_TOPIC_KINDS: topicKinds.optional(),
    KAFKA_DEAD_LETTER_TOPIC: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name')
      .default('tuxwatch.dead-letter'),
    KAFKA_STATE_TOPIC: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a Kafka topic name')
      .default('tuxwatch.state'),
    KAFKA_SESSION_TIMEOUT_MS: positiveInt
      .refine((n) => n >= 3000, 'must be at least 3000 (the consumer heartbeats every 3 s at most)')
      .default(30_000),
    KAFKA_SSL: bool.default(false),
    KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
    KAFKA_SSL_CERT_FILE: z.string().min(1).optional(),
    KAFKA_SSL_KEY_FILE: z.string().min(1).optional(),
    KAFKA_SSL_REJECT_UNAUTHORIZED: bool.default(true),
    KAFKA_SASL_MECHANISM: z
      .enum(['plain', 'scram-sha-256', 'scram-sha-512'], {
        message: 'must be plain, scram-sha-256 or scram-sha-512',
      })
      .optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    ELASTICSEARCH_URL: url,
    ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
    ELASTICSEARCH_USERNAME: z.string().min(1).optional(),
    ELASTICSEARCH_PASSWORD: z.string().min(1).optional(),
    ELASTICSEARCH_CA_FILE: z.string().min(1).optional(),
    ELASTICSEARCH_TLS_REJECT_UNAUTHORIZED: bool.default(true),
    TUXWATCH_ALERT_INDEX_PREFIX: z
      .string()
      .regex(
        /^tuxwatch-alerts-[a-z0-9._-]*$/,
        'must start with tuxwatch-alerts- and be a lowercase index name',
      )
      .default('tuxwatch-alerts-'),
    TUXWATCH_RULES: z
      .string()
      .transform(list)
      .refine((l) => l.length > 0, { message: 'must name at least one rule file or directory' })
      .default(['detections']),
    TUXWATCH_RULES_RELOAD_MS: z
      .string()
      .regex(/^\d+$/, 'must be a whole number of milliseconds (0 turns reloading off)')
      .transform(Number)
      .default(5000),
    TUXWATCH_SUPPRESS_WINDOW: duration('a duration such as 90s, 10m, 1h, or 0 (no folding)').default(600_000),
    TUXWATCH_AUTH_SILENCE: duration('a duration such as 30m or 2h, or 0 (off)').default(3_600_000),
    TUXWATCH_AUTH_SILENCE_CHECK: duration('a duration such as 1m').default(60_000),
    TUXWATCH_EXPECTED_LISTENERS: z.string().min(1).optional(),
    TUXWATCH_TIMEZONE: zone.default('UTC'),
    TUXWATCH_TIMEZONES: z
      .string()
      .transform((v, ctx) => {
        const rules = parseZoneRules(v);
        if (typeof rules === 'string') {
          ctx.addIssue({
            code: 'custom',
            message: `must be topic:NAME=ZONE / host:PATTERN=ZONE pairs: ${rules}`,
          });
          return z.NEVER;
        }
        return rules;
      })
      .optional(),
    TUXWATCH_MAX_RECORD_BYTES: z
      .string()
      .transform((v, ctx) => {
        const n = parseRecordLimit(v);
        if (n === undefined) {
          ctx.addIssue({ code: 'custom', message: `must be ${RECORD_LIMIT_RULE}` });
          return z.NEVER;
        }
        return n;
      })
      .default(1024 * 1024),
    TUXWATCH_BATCH_SIZE: positiveInt.default(2000),
    TUXWATCH_HTTP_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int()
      .min(0)
      .max(65535)
      .default(8080),
    // loopback unless asked: /metrics names rules, topics and lag, and nothing guards it (the image sets 0.0.0.0)
    TUXWATCH_HTTP_HOST: z
      .string()
      .trim()
      .refine((v) => isIP(v) !== 0 || /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})$/.test(v), {
        message: 'must be an IP address or a host name (0.0.0.0 for every interface)',
      })
      .default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .superRefine((env, ctx) => {
    // Settings that would be silently ignored are errors: an operator who set them expects them to apply.
    if (!env.KAFKA_SSL) {
      for (const name of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
        if (env[name] !== undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: 'is set but KAFKA_SSL is not true' });
      }
    }
    if (!env.KAFKA_SASL_MECHANISM && (env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_MECHANISM'],
        message: 'is required when KAFKA_SASL_USERNAME/PASSWORD are set',
      });
    }
    if (env.KAFKA_TOPICS.includes(env.KAFKA_DEAD_LETTER_TOPIC)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_DEAD_LETTER_TOPIC'],
        message: 'must not be one of KAFKA_TOPICS (dead letters would be read again)',
      });
    }
    if (
      env.KAFKA_TOPICS.includes(env.KAFKA_STATE_TOPIC) ||
      env.KAFKA_STATE_TOPIC === env.KAFKA_DEAD_LETTER_TOPIC
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_STATE_TOPIC'],
        message: 'must be a topic of its own, not an input or the dead-letter topic',
      });
    }
    for (const topic of Object.keys(env.KAFKA_TOPIC_KINDS ?? {})) {
      if (!env.KAFKA_TOPICS.includes(topic)) {
        ctx.addIssue({
          code: 'custom',
          path: ['KAFKA_TOPIC_KINDS'],
          message: `names topic ${topic}, which is not in KAFKA_TOPICS`,
        });
      }
    }
    if (env.KAFKA_SASL_MECHANISM && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SASL_USERNAME'],
        message: 'and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM',
      });
    }
    if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['KAFKA_SSL_KEY_FILE'],
        message: 'and KAFKA_SSL_CERT_FILE must be given together',
      });
    }
    if ((env.ELASTICSEARCH_USERNAME === undefined) !== (env.ELASTICSEARCH_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_PASSWORD'],
        message: 'and ELASTICSEARCH_USERNAME must be given together',
      });
    }
    if (env.ELASTICSEARCH_API_KEY && env.ELASTICSEARCH_USERNAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_API_KEY'],
        message: 'and ELASTICSEARCH_USERNAME are exclusive: choose one',
      });
    }
  });

export type Env = z.infer<typeof ENV_SCHEMA>;
export const ENV_VARIABLES = Object.keys(ENV_SCHEMA.shape) as (keyof Env)[];
