import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEsClient, deleteIndices } from '../support/elasticsearch';
import { createKafka, createTopics, deleteTopics } from '../support/kafka';
import { scenario } from '../support/scenario';
import { waitFor } from '../support/wait';
import { expectedAlertIds, indexedAlertIds, produce, web01Messages } from './evidence';
import {
  counterTotal,
  describeImage,
  httpGet,
  inspect,
  logsOf,
  removeContainer,
  startServe,
  type ServeContainer,
} from './support';

describeImage('the image: tuxwatch serve, hardened, against the test stack', () => {
  const s = scenario('ctr-serve');
  const messages = web01Messages();
  const expected = expectedAlertIds();
  let kafka: Kafka;
  let es: Client;
  let serve: ServeContainer | undefined;

  beforeAll(async () => {
    kafka = createKafka('ctr-serve');
    es = createEsClient();
    await createTopics([s.topic, s.deadLetterTopic]);
    await produce(kafka, s.topic, messages);
  });

  afterAll(async () => {
    if (serve) await removeContainer(serve.container.getId());
    await deleteIndices(es, `${s.indexPrefix}*`);
    await deleteTopics([s.topic, s.deadLetterTopic, `${s.groupId}.state`]);
    await es.close();
  });

  it('runs read-only, without capabilities or new privileges, as user 10001 on the host network', async () => {
    serve = await startServe(s);
    const info = await inspect(serve.container.getId());
    expect(info.Config.User).toBe('10001');
    expect(info.HostConfig).toMatchObject({
      NetworkMode: 'host',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    });
  });

  it("consumes web01's evidence from Kafka: the alerts the host's scan raises land in Elasticsearch", async () => {
    const id = serve!.container.getId();
    const indexed = await waitFor(
      async () => {
        const ids = await indexedAlertIds(es, s.indexPrefix);
        return ids.length >= expected.length ? ids : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, message: `${expected.length} alerts` },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await logsOf(id)}`);
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(indexed).toEqual(expected);
  });

  it("the image's HEALTHCHECK turns healthy, /health/ready and /metrics answer", async () => {
    const id = serve!.container.getId();
    const health = await waitFor(
      async () => {
        const h = (await inspect(id)).State.Health;
        return h?.Status === 'healthy' ? h : undefined;
      },
      // the first check runs one interval (15 s) after the start
      { timeoutMs: 60_000, intervalMs: 1_000, message: 'Health.Status healthy' },
    );
    process.stderr.write(`[container] serve container ${id.slice(0, 12)}: healthy\n`);
    expect(health.FailingStreak).toBe(0);

    expect((await httpGet(serve!.httpPort, '/health/ready')).status).toBe(200);
    const metrics = await httpGet(serve!.httpPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(counterTotal(metrics.body, 'tuxwatch_records_in_total')).toBe(messages.length);
    expect(counterTotal(metrics.body, 'tuxwatch_alerts_total')).toBeGreaterThanOrEqual(expected.length);
    expect(counterTotal(metrics.body, 'tuxwatch_records_dead_lettered_total')).toBe(0);
  });
});
