import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countDocs, createEsClient, deleteIndices } from '../support/elasticsearch';
import { committedOffsets, createKafka, createTopics, deleteTopics } from '../support/kafka';
import { scenario, type Scenario } from '../support/scenario';
import { waitFor } from '../support/wait';
import { cutAfterToor, expectedAlertIds, indexedAlertIds, produce, web01Messages } from './evidence';
import {
  counterTotal,
  describeImage,
  httpGet,
  inspect,
  logsOf,
  removeContainer,
  signal,
  startServe,
  type ServeContainer,
} from './support';

/** docker stop's grace period here, and compose's stop_grace_period: the service promises about 20 s. */
const GRACE_S = 30;

/**
 * The container's life cycle against the test stack, each case on its own topic and group: web01's evidence
 * is produced up to toor's creation, a first container reads it and is stopped (SIGTERM) or killed (SIGKILL)
 * once toor's alert is in Elasticsearch, the rest of the evidence arrives meanwhile, and a second container
 * of the same group finishes the stream. Afterwards the alert indices hold exactly the alerts the host's scan
 * raises from the same records: nothing missing, nothing twice.
 */
describeImage('the image: stopped and killed mid-stream, then succeeded by a new container', () => {
  const messages = web01Messages();
  const cut = cutAfterToor(messages);
  const expected = expectedAlertIds();
  const scenarios: Scenario[] = [];
  const containers: ServeContainer[] = [];
  let kafka: Kafka;
  let es: Client;

  beforeAll(() => {
    kafka = createKafka('ctr-lifecycle');
    es = createEsClient();
  });

  afterAll(async () => {
    for (const c of containers) await removeContainer(c.container.getId());
    for (const s of scenarios) {
      await deleteIndices(es, `${s.indexPrefix}*`);
      await deleteTopics([s.topic, s.deadLetterTopic, `${s.groupId}.state`]);
    }
    await es.close();
  });

  /** A scenario with the first part of the stream produced and a first container that raised toor's alert. */
  async function firstHalf(name: string): Promise<{ s: Scenario; first: ServeContainer }> {
    const s = scenario(name);
    scenarios.push(s);
    await createTopics([s.topic, s.deadLetterTopic]);
    await produce(kafka, s.topic, messages.slice(0, cut));
    // one record per chunk: many commits, so a signal lands between two of them
    const first = await startServe(s, { TUXWATCH_BATCH_SIZE: '1' });
    containers.push(first);
    await waitFor(
      async () =>
        (await countDocs(es, `${s.indexPrefix}*`, { term: { 'rule.id': 'new-uid0-account' } })) >= 1,
      { timeoutMs: 60_000, intervalMs: 250, message: "toor's alert" },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await logsOf(first.container.getId())}`);
    });
    return { s, first };
  }

  /** The second container of the group reads the rest; returns its records_in_total once all is committed. */
  async function secondHalf(s: Scenario): Promise<number> {
    await produce(kafka, s.topic, messages.slice(cut));
    const second = await startServe(s);
    containers.push(second);
    await waitFor(
      async () => (await committedOffsets(s.groupId, s.topic)).get(0) === String(messages.length),
      {
        timeoutMs: 90_000,
        intervalMs: 500,
        message: `all ${messages.length} offsets committed`,
      },
    ).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await logsOf(second.container.getId())}`);
    });
    const metrics = await httpGet(second.httpPort, '/metrics');
    await second.container.stop({ timeout: GRACE_S * 1000, remove: false });
    expect((await inspect(second.container.getId())).State.ExitCode).toBe(0);
    return counterTotal(metrics.body, 'tuxwatch_records_in_total');
  }

  const expectExactAlerts = async (s: Scenario) => {
    expect(await indexedAlertIds(es, s.indexPrefix)).toEqual(expected);
    expect(await countDocs(es, `${s.indexPrefix}*`)).toBe(expected.length);
  };

  it('docker stop (SIGTERM) exits 0 within the grace period with its offsets committed; the next container resumes there', async () => {
    const { s, first } = await firstHalf('ctr-sigterm');
    const id = first.container.getId();
    const stopping = Date.now();
    await first.container.stop({ timeout: GRACE_S * 1000, remove: false });
    const took = (Date.now() - stopping) / 1000;
    const state = (await inspect(id)).State;
    process.stderr.write(
      `[container] docker stop (SIGTERM): exit ${state.ExitCode} after ${took.toFixed(1)} s\n`,
    );
    expect(state.ExitCode, await logsOf(id)).toBe(0);
    expect(state.OOMKilled).toBe(false);
    expect(took).toBeLessThan(GRACE_S);

    // what the first container finished is committed, and the second reads exactly the rest: no record twice
    // (a duplicate would show in its count), none skipped (the alert set is whole)
    const committed = Number((await committedOffsets(s.groupId, s.topic)).get(0));
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThanOrEqual(cut);
    const readBySecond = await secondHalf(s);
    expect(readBySecond).toBe(messages.length - committed);
    await expectExactAlerts(s);
  });

  it('docker kill (SIGKILL) mid-stream, then a new container: the exact alert set, none doubled', async () => {
    const { s, first } = await firstHalf('ctr-sigkill');
    const id = first.container.getId();
    await signal(id, 'SIGKILL');
    const state = await waitFor(async () => {
      const st = (await inspect(id)).State;
      return st.Running ? undefined : st;
    });
    expect(state.ExitCode).toBe(137);
    const committed = Number((await committedOffsets(s.groupId, s.topic)).get(0) ?? -1);

    // the successor replays from the last commit: whatever the first indexed past it is written again and
    // found already there (same _id, op_type create)
    const readBySecond = await secondHalf(s);
    expect(readBySecond).toBe(messages.length - Math.max(committed, 0));
    await expectExactAlerts(s);
    process.stderr.write(
      `[container] docker kill (SIGKILL) at offset ${committed}: replay exact, ${expected.length} alerts, none doubled\n`,
    );
  });
});
