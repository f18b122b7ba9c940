import type { Client } from '@elastic/elasticsearch';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countDocs, createEsClient, deleteIndices } from '../support/elasticsearch';
import { createKafka, createTopics, deleteTopics } from '../support/kafka';
import { REPO } from '../support/cli';
import { scenario } from '../support/scenario';
import { parseSavedObjects } from '../unit/kibana/saved-objects-check';
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

/** Fields kibana/tuxwatch-saved-objects.ndjson names: all of them, and those it sorts, buckets or times on. */
function savedObjectFields(): { all: string[]; aggregated: string[] } {
  const text = readFileSync(resolve(REPO, 'kibana', 'tuxwatch-saved-objects.ndjson'), 'utf8');
  const aggregated = new Set<string>();
  const all = new Set<string>();
  for (const o of parseSavedObjects(text).objects) {
    const a = o.attributes;
    if (typeof a['timeFieldName'] === 'string') aggregated.add(a['timeFieldName']);
    for (const c of (a['columns'] as string[] | undefined) ?? []) all.add(c);
    for (const [f] of (a['sort'] as [string, string][] | undefined) ?? []) aggregated.add(f);
    // Lens columns inside the dashboard's panels
    for (const m of String(a['panelsJSON'] ?? '').matchAll(/"sourceField":"([^"]+)"/g))
      if (m[1] !== '___records___') aggregated.add(m[1]!);
  }
  return { all: [...new Set([...all, ...aggregated])], aggregated: [...aggregated] };
}
const kibanaFields = savedObjectFields();

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

  it("before the first alert, the alert indices already have every field Kibana's objects use", async () => {
    // the service creates the month's index from the template at start: Kibana's data views get their fields
    const caps = await es.fieldCaps({ index: `${s.indexPrefix}*`, fields: kibanaFields.all });
    expect(await countDocs(es, `${s.indexPrefix}*`)).toBe(0);
    for (const f of kibanaFields.all) expect(caps.fields[f], f).toBeDefined();
    for (const f of kibanaFields.aggregated)
      expect(
        Object.values(caps.fields[f] ?? {}).every((c) => c.aggregatable),
        `${f} aggregatable`,
      ).toBe(true);
  });

  it("consumes web01's evidence from Kafka: the alerts the host's scan raises land in Elasticsearch", async () => {
    await produce(kafka, s.topic, messages);
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
