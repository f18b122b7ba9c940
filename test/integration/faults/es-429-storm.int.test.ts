import { describe, expect, it } from 'vitest';
import { committedTotal } from '../../support/kafka';
import { HostAffinityAssigner } from '../../../src/ingest/kafka/host-affinity-assigner';
import { useScenario } from '../../support/scenario';
import { tail, type ServiceProcess } from '../../support/service';
import { waitFor } from '../../support/wait';
import {
  expectReady,
  firstAlerting,
  expectedAlerts,
  faultKafka,
  hostLines,
  idsAndCounts,
  indexedAlerts,
  interleave,
  logLines,
  produce,
  readTopic,
  sleep,
  ZONE,
} from './fault-helpers';

const STORM_MS = 20_000;
/** the service's Elasticsearch client gives up on a request after 30 s */
const CLIENT_TIMEOUT_MS = 30_000;

/**
 * Elasticsearch overloaded: every request answered 429 or 503 for ~20 s while evidence arrives (with a
 * consumer-group rebalance in the middle of it), then one answer so slow that the client gives up on it
 * although the node did index the documents. The service must retry without dead-lettering or committing
 * past the failure, keep its group membership through the long request, and end with exactly the alerts
 * `scan` finds, each once (the retry of the timed-out request meets 409s for documents that are already
 * there; the chunk given up in the rebalance and read again is not counted twice by the correlations).
 */
describe('fault: 429/503 storm, then an answer past the client timeout', () => {
  const run = useScenario('fault-storm', { faultProxy: true });
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  // SSH brute force from the first records on: the chunk given up in the rebalance is full of failed
  // logins, which correlation windows would count twice if the replay ran through them again
  const stream = [...interleave(hostLines('openssh'), hostLines('web01')), ...hostLines('linux')];
  const joinCount = (logs: string): number =>
    logLines(logs).filter((l) => l.msg === 'joined consumer group').length;

  /** Another member joins the service's group, gets nothing, and leaves: two rebalances. */
  const rebalanceOnce = async (s: ServiceProcess): Promise<void> => {
    // the group's assignor (a member must speak it to join) goes by sorted member id: "zz-…" sorts after
    // the service's "tuxwatch-…", so the one partition number stays with the service
    const other = faultKafka('zz-rebalance').consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      partitionAssigners: [HostAffinityAssigner],
    });
    let joined = false;
    let assigned = -1;
    other.on(other.events.GROUP_JOIN, (e) => {
      joined = true;
      assigned = Object.values(e.payload.memberAssignment).flat().length;
    });
    await other.connect();
    await other.subscribe({ topics: [topic], fromBeginning: true });
    await other.run({
      autoCommit: false,
      eachMessage: async () => {
        throw new Error('the extra member must not get the partition');
      },
    });
    await waitFor(() => joined, { timeoutMs: 60_000, message: `the extra member to join\n${tail(s.logs)}` });
    expect(assigned).toBe(0);
    await other.disconnect();
    await waitFor(() => joinCount(s.logs) >= 3, {
      timeoutMs: 30_000,
      message: `the service to rejoin after the extra member left\n${tail(s.logs)}`,
    });
  };

  it('retries through the storm and the lost answer, and indexes each expected alert once', async () => {
    const { es, proxy } = run;
    const expected = expectedAlerts(stream, observedAt);
    expect(expected.filter((a) => a.ruleId === 'new-uid0-account')).toHaveLength(2);
    const firstAlert = firstAlerting(stream, expected);
    expect(firstAlert).toBeGreaterThan(0);

    const service = run.start({
      ELASTICSEARCH_URL: proxy.url,
      TUXWATCH_TIMEZONE: ZONE,
      TUXWATCH_BATCH_SIZE: '100',
    });
    await expectReady(service, 60_000);

    // the storm: 429 and 503 in turn, for every request, while the evidence arrives
    await proxy.storm([429, 503]);
    const stormAt = Date.now();
    const commits: number[] = [];
    const slices = 4;
    for (let s = 0; s < slices; s++) {
      const part = stream.slice(
        Math.floor((s * stream.length) / slices),
        Math.floor(((s + 1) * stream.length) / slices),
      );
      await produce(kafka, topic, part, observedAt);
      await sleep(3_000);
      commits.push(await committedTotal(groupId, topic, kafka));
    }
    // a rebalance in the middle of the storm: another member joins the group and leaves again. The service
    // keeps its partition (the other member sorts after it and gets nothing), but the chunk it was retrying
    // is given up and read again
    const joinsBefore = joinCount(service.logs);
    await rebalanceOnce(service);
    expect(joinCount(service.logs)).toBeGreaterThanOrEqual(joinsBefore + 2);
    // the rebalance reached the service while it was retrying: it gave the chunk up to re-join
    expect(service.logs).toMatch(/The group is rebalancing, re-joining/);
    await sleep(Math.max(0, STORM_MS - (Date.now() - stormAt)));
    commits.push(await committedTotal(groupId, topic, kafka));
    for (const c of commits) expect(c).toBeLessThanOrEqual(firstAlert);
    expect(proxy.counts.status.bulk, tail(service.logs)).toBeGreaterThanOrEqual(2);
    expect(await indexedAlerts(es, `${indexPrefix}*`)).toEqual([]);

    // then the node works again but answers the next bulk only after the client has given up on it
    await proxy.delay(CLIENT_TIMEOUT_MS + 5_000);
    await waitFor(() => proxy.counts.delay.bulk >= 1, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `a bulk request in the slow phase\n${tail(service.logs)}`,
    });
    // the documents of that request land in Elasticsearch, its answer never reaches the service
    await waitFor(async () => (await indexedAlerts(es, `${indexPrefix}*`)).length > 0, {
      timeoutMs: 20_000,
      message: 'the slow bulk request to be carried out',
    });
    await waitFor(() => /Request timed out/i.test(service.logs), {
      timeoutMs: CLIENT_TIMEOUT_MS + 15_000,
      intervalMs: 500,
      message: `the client to give up on the slow answer\n${tail(service.logs)}`,
    });
    expect(await committedTotal(groupId, topic, kafka)).toBeLessThanOrEqual(firstAlert);
    await proxy.pass();

    await run.allCommitted(stream.length, { timeoutMs: 120_000, logs: () => service.logs });
    const found = await indexedAlerts(es, `${indexPrefix}*`);
    expect(idsAndCounts(found)).toEqual(idsAndCounts(expected));
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await expectReady(service);
    const msgs = new Map<string, number>();
    for (const l of logLines(service.logs)) msgs.set(String(l.msg), (msgs.get(String(l.msg)) ?? 0) + 1);
    console.info(`storm: proxy ${JSON.stringify(proxy.counts)}; service log ${JSON.stringify([...msgs])}`);

    // the two joins of the deliberate rebalance, no more: the storm and the slow answer cost no session
    expect(joinCount(service.logs), tail(service.logs)).toBe(3);
    expect(service.logs).not.toMatch(/consumer crashed/);
    await service.stop();
    expect((await service.exited).code).toBe(0);
  });
});
