import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig } from 'kafkajs';
import { kafkaBrokers } from './endpoints';

// kafkajs 2 prints a partitioner notice on every producer otherwise
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/** A kafkajs client for the test broker (log level ERROR unless overridden). */
export function createKafka(clientId = 'tuxwatch-test', overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(),
    logLevel: logLevel.ERROR,
    connectionTimeout: 5_000,
    retry: { retries: 8, initialRetryTime: 200 },
    ...overrides,
  });
}

/** Runs `fn` with a connected admin client and disconnects afterwards. */
export async function withAdmin<T>(
  fn: (admin: Admin) => Promise<T>,
  kafka: Kafka = createKafka(),
): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export type TopicSpec = string | (ITopicConfig & { topic: string });

/**
 * Creates topics (default 1 partition, replication factor 1) and waits until every partition has a leader.
 * Existing topics are left alone.
 */
export async function createTopics(topics: TopicSpec[], kafka?: Kafka): Promise<void> {
  const configs: ITopicConfig[] = topics.map((t) =>
    typeof t === 'string'
      ? { topic: t, numPartitions: 1, replicationFactor: 1 }
      : { numPartitions: 1, replicationFactor: 1, ...t },
  );
  await withAdmin(async (admin) => {
    await admin.createTopics({ topics: configs, waitForLeaders: true, timeout: 30_000 });
  }, kafka);
}

/** Deletes topics, ignoring ones that do not exist (best effort, for cleanup). */
export async function deleteTopics(topics: string[], kafka?: Kafka): Promise<void> {
  if (topics.length === 0) return;
  await withAdmin(async (admin) => {
    const existing = new Set(await admin.listTopics());
    const victims = topics.filter((t) => existing.has(t));
    if (victims.length > 0) await admin.deleteTopics({ topics: victims, timeout: 30_000 });
  }, kafka).catch(() => undefined);
}

/** Committed offset per partition of `groupId` on `topic` ("-1" when nothing is committed). */
export async function committedOffsets(
  groupId: string,
  topic: string,
  kafka?: Kafka,
): Promise<Map<number, string>> {
  return withAdmin(async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
  }, kafka);
}
