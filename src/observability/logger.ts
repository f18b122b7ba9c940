import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stdout. Secrets never reach them: configuration is logged only through
 * `describeConfig`, and these paths are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tuxwatch' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        '*.password',
        '*.apiKey',
        '*.api_key',
        '*.sasl',
        'config.kafka.sasl',
        'config.elasticsearch.apiKey',
        'authorization',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
