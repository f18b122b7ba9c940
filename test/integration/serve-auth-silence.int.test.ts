import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines } from '../support/corpus';
import { elasticsearchUrl, kafkaBrokers } from '../support/endpoints';
import { createEsClient, deleteIndices, searchDocs } from '../support/elasticsearch';
import { createKafka, createTopics, deleteTopics } from '../support/kafka';
import { uniqueName } from '../support/names';
import { startService, type ServiceProcess } from '../support/service';
import { waitFor } from '../support/wait';

interface AlertDoc {
  rule: { id: string };
  host: { name: string };
  event: { original: string };
}

/** The scheduled check: a host whose auth log stops raises one auth-log-silence alert. */
describe('serve: auth-log silence per host', () => {
  const topic = uniqueName('silence-in');
  const indexPrefix = `tuxwatch-alerts-${uniqueName('silence')}-`;
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

  it('web01 sends its auth log, then nothing: one alert for web01', async () => {
    const producer = createKafka('silence').producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: corpusLines('web01', 'auth.log').map((value) => ({
        key: 'web01',
        value,
        headers: { timezone: 'Europe/Berlin' },
      })),
    });
    await producer.disconnect();
    service = startService({
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_GROUP_ID: uniqueName('silence-group'),
      KAFKA_TOPICS: topic,
      KAFKA_DEAD_LETTER_TOPIC: uniqueName('silence-dead'),
      ELASTICSEARCH_URL: elasticsearchUrl(),
      TUXWATCH_ALERT_INDEX_PREFIX: indexPrefix,
      TUXWATCH_AUTH_SILENCE: '4s',
      TUXWATCH_AUTH_SILENCE_CHECK: '1s',
    });
    const silence = () =>
      searchDocs<AlertDoc>(es, `${indexPrefix}*`, { term: { 'rule.id': 'auth-log-silence' } });
    const [alert, ...more] = await waitFor(
      async () => ((await silence()).length > 0 ? silence() : undefined),
      {
        timeoutMs: 60_000,
        message: 'an auth-log-silence alert',
      },
    );
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ host: { name: 'web01' } });
    expect(alert!.event.original).toMatch(/no auth-log record from web01/);
    // reported once per silence: a few more checks add nothing
    await new Promise((r) => setTimeout(r, 3000));
    expect(await silence()).toHaveLength(1);
  });
});
