/**
 * Round trips against the real Kafka and Elasticsearch the integration project runs with (local stack,
 * Testcontainers or endpoints from the environment): proves that kafkajs 2.2.4 and @elastic/elasticsearch 9
 * do what the service relies on.
 */
import { errors, type Client } from '@elastic/elasticsearch';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countDocs,
  createEsClient,
  deleteIndexTemplates,
  deleteIndices,
  searchDocs,
} from '../support/elasticsearch';
import { committedOffsets, createKafka, createTopics, deleteTopics, withAdmin } from '../support/kafka';
import { uniqueName } from '../support/names';
import { waitFor } from '../support/wait';

interface Received {
  partition: number;
  offset: string;
  key: string | undefined;
  value: string;
}

function record(into: Received[], partition: number, message: KafkaMessage): void {
  into.push({
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value?.toString() ?? '',
  });
}

describe('kafka (kafkajs)', () => {
  let kafka: Kafka;
  const topics: string[] = [];
  const consumers: Consumer[] = [];

  beforeAll(() => {
    kafka = createKafka('tuxwatch-it-stack');
  });

  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await deleteTopics(topics, kafka);
  });

  function consumer(groupId: string): Consumer {
    const c = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 250,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    consumers.push(c);
    return c;
  }

  it('a new consumer in the same group resumes after the committed offset', async () => {
    const topic = uniqueName('it-resume');
    const groupId = uniqueName('it-resume-group');
    topics.push(topic);
    await createTopics([{ topic, numPartitions: 1 }], kafka);

    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [0, 1, 2, 3, 4].map((i) => ({ key: 'host-a', value: `m${i}` })),
      });

      // first member: reads everything, commits only up to (and excluding) offset 3
      const first: Received[] = [];
      const c1 = consumer(groupId);
      await c1.connect();
      await c1.subscribe({ topics: [topic], fromBeginning: true });
      await c1.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => record(first, partition, message),
      });
      await waitFor(() => first.length >= 5, {
        timeoutMs: 60_000,
        message: 'first consumer to read 5 messages',
      });
      expect(first.map((r) => r.value)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(first.map((r) => r.offset)).toEqual(['0', '1', '2', '3', '4']);
      await c1.commitOffsets([{ topic, partition: 0, offset: '3' }]);
      await c1.disconnect();

      expect((await committedOffsets(groupId, topic, kafka)).get(0)).toBe('3');

      await producer.send({ topic, messages: [5, 6, 7].map((i) => ({ key: 'host-a', value: `m${i}` })) });

      // second member of the same group: starts at the committed offset, not at the beginning or the end
      const second: Received[] = [];
      const c2 = consumer(groupId);
      await c2.connect();
      await c2.subscribe({ topics: [topic], fromBeginning: true });
      await c2.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => record(second, partition, message),
      });
      await waitFor(() => second.length >= 5, {
        timeoutMs: 60_000,
        message: 'second consumer to read 5 messages',
      });
      // nothing more arrives (no redelivery of m0..m2)
      await new Promise((r) => setTimeout(r, 1_000));
      expect(second.map((r) => r.value)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
      expect(second[0]?.offset).toBe('3');
      await c2.commitOffsets([{ topic, partition: 0, offset: '8' }]);
      await c2.disconnect();
      expect((await committedOffsets(groupId, topic, kafka)).get(0)).toBe('8');
    } finally {
      await producer.disconnect();
    }
  });

  it('auto-creates topics with 3 partitions; auto-committed group resumes with only new records', async () => {
    const topic = uniqueName('it-auto');
    const groupId = uniqueName('it-auto-group');
    topics.push(topic);

    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const hosts = ['web-1', 'db-1', 'mail-1', 'vpn-1', 'ci-1', 'dns-1'];
      await producer.send({ topic, messages: hosts.map((h) => ({ key: h, value: `first ${h}` })) });

      const meta = await withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }), kafka);
      expect(meta.topics[0]?.partitions).toHaveLength(3);
      // What the group must consume and commit is what the topic holds. Not simply hosts.length: on a broker
      // started seconds ago the new topic's leaders are still being elected, and a send kafkajs retries on
      // "not the leader" may have been written once already (its producer is not idempotent): a copy
      const held = await withAdmin((admin) => admin.fetchTopicOffsets(topic), kafka);
      const heldTotal = held.reduce((n, p) => n + Number(p.high), 0);
      expect(heldTotal).toBeGreaterThanOrEqual(hosts.length);

      const first: Received[] = [];
      const c1 = consumer(groupId);
      await c1.connect();
      await c1.subscribe({ topics: [topic], fromBeginning: true });
      await c1.run({ eachMessage: async ({ partition, message }) => record(first, partition, message) });
      await waitFor(() => first.length >= heldTotal, { timeoutMs: 60_000, message: 'all first records' });
      await c1.disconnect(); // commits what it consumed

      // one host's records stay on one partition (keyed)
      const partitionOf = new Map(first.map((r) => [r.key, r.partition]));
      expect(new Set(first.map((r) => r.value))).toEqual(new Set(hosts.map((h) => `first ${h}`)));
      expect(first).toHaveLength(heldTotal);
      const committed = await committedOffsets(groupId, topic, kafka);
      const committedTotal = [...committed.values()].reduce((n, o) => n + Math.max(0, Number(o)), 0);
      expect(committedTotal).toBe(heldTotal);

      await producer.send({ topic, messages: hosts.map((h) => ({ key: h, value: `second ${h}` })) });
      const second: Received[] = [];
      const c2 = consumer(groupId);
      await c2.connect();
      await c2.subscribe({ topics: [topic], fromBeginning: true });
      await c2.run({ eachMessage: async ({ partition, message }) => record(second, partition, message) });
      await waitFor(() => second.length >= hosts.length, {
        timeoutMs: 60_000,
        message: 'all second records',
      });
      await new Promise((r) => setTimeout(r, 1_000));
      // only new records: none of the first batch again, every host's second record (a retried send may add a copy)
      expect(new Set(second.map((r) => r.value))).toEqual(new Set(hosts.map((h) => `second ${h}`)));
      for (const r of second) expect(r.partition).toBe(partitionOf.get(r.key));
      await c2.disconnect();
    } finally {
      await producer.disconnect();
    }
  });
});

describe('elasticsearch (@elastic/elasticsearch 9)', () => {
  let es: Client;
  const prefix = uniqueName('tuxwatch-it');
  const template = `${prefix}-template`;

  beforeAll(() => {
    es = createEsClient();
  });

  afterAll(async () => {
    await deleteIndices(es, `${prefix}-*`);
    await deleteIndexTemplates(es, template);
    await es.close();
  });

  it('_bulk create with fixed _id is idempotent: a repeat gives per-item 409 and the count stays', async () => {
    const index = `${prefix}-bulk`;
    const docs = [
      { id: 'alert-1', doc: { '@timestamp': '2026-01-01T00:00:00Z', 'rule.id': 'a', 'host.name': 'web-1' } },
      { id: 'alert-2', doc: { '@timestamp': '2026-01-01T00:00:01Z', 'rule.id': 'b', 'host.name': 'web-1' } },
      { id: 'alert-3', doc: { '@timestamp': '2026-01-01T00:00:02Z', 'rule.id': 'c', 'host.name': 'db-1' } },
    ];
    const operations = docs.flatMap(({ id, doc }) => [{ create: { _index: index, _id: id } }, doc]);

    const first = await es.bulk({ operations, refresh: 'wait_for' });
    expect(first.errors).toBe(false);
    expect(first.items.map((i) => i.create?.status)).toEqual([201, 201, 201]);
    expect(await countDocs(es, index)).toBe(3);

    const again = await es.bulk({ operations, refresh: 'wait_for' });
    expect(again.errors).toBe(true);
    expect(again.items.map((i) => i.create?.status)).toEqual([409, 409, 409]);
    expect(again.items.map((i) => i.create?.error?.type)).toEqual(
      Array(3).fill('version_conflict_engine_exception'),
    );
    expect(await countDocs(es, index)).toBe(3);
    expect(await countDocs(es, `${prefix}-*`, { term: { 'host.name.keyword': 'web-1' } })).toBe(2);

    // the single-document API with op_type create refuses the same _id as well
    await expect(
      es.index({ index, id: 'alert-1', op_type: 'create', document: docs[0]!.doc }),
    ).rejects.toSatisfy((e) => e instanceof errors.ResponseError && e.statusCode === 409);
  });

  it('a composable index template applies to a new matching index', async () => {
    await es.indices.putIndexTemplate({
      name: template,
      index_patterns: [`${prefix}-alerts-*`],
      priority: 500,
      template: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: {
          dynamic: true,
          properties: {
            '@timestamp': { type: 'date' },
            event: { properties: { kind: { type: 'keyword' }, severity: { type: 'long' } } },
            host: { properties: { name: { type: 'keyword' } } },
            rule: { properties: { id: { type: 'keyword' }, name: { type: 'text' } } },
          },
        },
      },
    });

    const index = `${prefix}-alerts-2026.01.01`;
    const created = await es.index({
      index,
      id: 'x-1',
      op_type: 'create',
      refresh: 'wait_for',
      document: {
        '@timestamp': '2026-01-01T10:00:00Z',
        event: { kind: 'alert', severity: 73 },
        host: { name: 'web-1' },
        rule: { id: 'ssh-brute-force', name: 'SSH brute force' },
      },
    });
    expect(created.result).toBe('created');

    const mapping = await es.indices.getMapping({ index });
    const props = mapping[index]?.mappings.properties as Record<
      string,
      { type?: string; properties?: object }
    >;
    expect(props['@timestamp']?.type).toBe('date');
    expect(props.host?.properties).toEqual({ name: { type: 'keyword' } });
    expect(props.event?.properties).toMatchObject({ kind: { type: 'keyword' }, severity: { type: 'long' } });

    const settings = await es.indices.getSettings({ index });
    expect(settings[index]?.settings?.index?.number_of_replicas).toBe('0');

    const hits = await searchDocs<{ rule: { id: string } }>(es, `${prefix}-alerts-*`, {
      term: { 'host.name': 'web-1' },
    });
    expect(hits.map((h) => h.rule.id)).toEqual(['ssh-brute-force']);

    // an index that does not match keeps dynamic mappings (text + keyword sub-field)
    const other = `${prefix}-other`;
    await es.index({ index: other, document: { host: { name: 'web-1' } }, refresh: 'wait_for' });
    const otherMapping = await es.indices.getMapping({ index: other });
    const otherHost = (otherMapping[other]?.mappings.properties as Record<string, { properties?: object }>)
      .host;
    expect(otherHost?.properties).toMatchObject({ name: { type: 'text' } });
  });
});
