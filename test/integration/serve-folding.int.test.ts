import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { elasticsearchUrl, kafkaBrokers } from '../support/endpoints';
import { createEsClient, deleteIndices, searchDocs } from '../support/elasticsearch';
import { committedOffsets, createKafka, createTopics, deleteTopics } from '../support/kafka';
import { uniqueName } from '../support/names';
import { startService, type ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';

interface AlertDoc {
  '@timestamp': string;
  rule: { id: string };
  user: { target: { name: string } };
  event: { start: string; end: string; original: string };
  tuxwatch: { alert: { count: number } };
}

/** The same findings arriving again (another encoding of the same log) raise the count of one alert. */
describe('serve: repeats fold into one alert with a count', () => {
  const topic = uniqueName('fold-in');
  const groupId = uniqueName('fold-group');
  const indexPrefix = `tuxwatch-alerts-${uniqueName('fold')}-`;
  let es: Client;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    es = createEsClient();
    await createTopics([topic]);
  });

  afterAll(async () => {
    await service?.stop();
    await deleteIndices(es, `${indexPrefix}*`);
    await deleteTopics([topic]);
    await es.close();
  });

  it('two encodings of web01 auth.log: each UID 0 account is one alert, counted twice, on the first record', async () => {
    const traditional = corpusLines('web01', 'auth.log');
    const rfc5424 = corpusLines('web01', 'auth-rfc5424.log');
    const producer = createKafka('fold').producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: traditional.map((value) => ({ key: 'web01', value, headers: { timezone: 'Europe/Berlin' } })),
    });
    await producer.send({ topic, messages: rfc5424.map((value) => ({ key: 'web01', value })) });
    await producer.disconnect();

    service = startService({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: uniqueName('fold-dead'),
      ELASTICSEARCH_URL: elasticsearchUrl(),
      TUXWATCH_ALERT_INDEX_PREFIX: indexPrefix,
      TUXWATCH_BATCH_SIZE: '10',
    });
    const total = traditional.length + rfc5424.length;
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === String(total), {
      timeoutMs: 60_000,
      message: 'all offsets committed',
    });

    const alerts = await searchDocs<AlertDoc>(es, `${indexPrefix}*`, {
      term: { 'rule.id': 'new-uid0-account' },
    });
    expect(alerts.map((a) => [a.user.target.name, a.tuxwatch.alert.count]).sort()).toEqual([
      ['tmpadmin', 2],
      ['toor', 2],
    ]);
    for (const a of alerts) {
      // the traditional line came first: it opened the alert; the RFC 5424 one (sub-second time) moved its end
      expect(a.event.original).toMatch(/^Nov 26 /);
      expect(a.event.start).toBe(a['@timestamp']);
      expect(Date.parse(a.event.end)).toBeGreaterThan(Date.parse(a.event.start));
    }
  });
});
