import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig, type Message } from 'kafkajs';
import { kafkaBrokers } from './endpoints';
import { tail } from './service';
import { waitFor } from './wait';

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

/** Sum of the committed offsets in a map from `committedOffsets` (a partition with nothing committed counts 0). */
export const sumOffsets = (m: Map<number, string>): number =>
  [...m.values()].reduce((n, o) => n + Math.max(0, Number(o)), 0);

/** Sum of the committed offsets of `groupId` on `topic`: how many of its records the group is done with. */
export async function committedTotal(groupId: string, topic: string, kafka?: Kafka): Promise<number> {
  return sumOffsets(await committedOffsets(groupId, topic, kafka));
}

/** Waits until `groupId` has committed every one of `total` records of `topic`. */
export async function waitAllCommitted(
  groupId: string,
  topic: string,
  total: number,
  opts: { timeoutMs: number; logs: () => string; kafka?: Kafka },
): Promise<void> {
  await waitFor(async () => (await committedTotal(groupId, topic, opts.kafka)) === total, {
    timeoutMs: opts.timeoutMs,
    intervalMs: 1000,
    message: `all ${total} offsets of ${topic} committed\n${tail(opts.logs())}`,
  });
}

/**
 * Sends the messages in order, `perSend` of them per produce request (acks from all in-sync replicas), to a
 * topic that must exist: a test never creates one by accident. The producer is idempotent: a request whose
 * answer was lost (a broker that has just restarted) is sent again, and without the broker's sequence check
 * the retry wrote its records twice (CI, 3d1c42d: 102 extra records after the broker-restart test's restart),
 * so tests that count records would blame the service for the test's own writer.
 */
export async function sendMessages(
  kafka: Kafka,
  topic: string,
  messages: readonly Message[],
  perSend = 250,
): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
    // bounded, unlike the idempotent default (forever), so a broker that never comes back fails the test
    retry: { retries: 10, initialRetryTime: 200 },
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += perSend) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + perSend) });
    }
  } finally {
    await producer.disconnect();
  }
}
