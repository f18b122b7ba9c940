import { Kafka, logLevel, type Admin, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { ServiceConfig } from '../../config/load-config';
import type { Logger } from '../../observability/logger';

/** The kafkajs client for the configured brokers, with TLS/SASL, logging through our logger. */
export function createKafka(
  config: Pick<ServiceConfig['kafka'], 'brokers' | 'clientId' | 'ssl' | 'sasl'>,
  logger: Logger,
): Kafka {
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

/** Runs `work` with a connected admin client, disconnected afterwards whatever happens. */
export async function withAdmin<T>(kafka: Kafka, work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Disconnects, giving up after `deadlineMs`: kafkajs' disconnect can hang on a broker that went away. */
export async function disconnectWithin(
  client: { disconnect(): Promise<void> },
  deadlineMs: number,
): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
  await Promise.race([client.disconnect().catch(() => undefined), timeout]);
}
