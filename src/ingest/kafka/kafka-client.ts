import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { ServiceConfig } from '../../config/load-config';
import type { Logger } from '../../observability/logger';

/** The kafkajs client for the configured brokers, with TLS/SASL, logging through our logger. */
export function createKafka(config: ServiceConfig['kafka'], logger: Logger): Kafka {
  const options: KafkaConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        const method = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'debug';
        logger[method]({ kafka: rest }, message);
      },
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  };
  if (config.ssl) options.ssl = config.ssl;
  if (config.sasl) options.sasl = config.sasl as SASLOptions;
  return new Kafka(options);
}
