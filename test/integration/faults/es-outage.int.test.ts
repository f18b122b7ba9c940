import { describe, expect, it } from 'vitest';
import { committedTotal } from '../../support/kafka';
import { useScenario } from '../../support/scenario';
import { tail } from '../../support/service';
import {
  expectReady,
  firstAlerting,
  expectedAlerts,
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

const OUTAGE_MS = 60_000;

/**
 * Elasticsearch "stopped" (nothing listens on its port) for a minute while evidence keeps arriving: the
 * service must keep every record, commit nothing past the first alert it could not index, dead-letter
 * nothing, keep its group membership, and afterwards index exactly the alerts `scan` finds, each once.
 */
describe('fault: Elasticsearch down for a minute under load', () => {
  const run = useScenario('fault-outage', { faultProxy: true });
  const { kafka, topic, deadLetterTopic, groupId, indexPrefix } = run;
  const observedAt = new Date();
  const stream = interleave(hostLines('linux'), hostLines('openssh'), hostLines('web01'));

  it('keeps every record, commits nothing past the failure, and indexes each expected alert once', async () => {
    const { es, proxy } = run;
    const expected = expectedAlerts(stream, observedAt);
    // the stream has alerts of single-record and of correlation rules, web01's UID 0 accounts among them
    expect(expected.filter((a) => a.ruleId === 'new-uid0-account')).toHaveLength(2);
    expect(expected.some((a) => a.correlation)).toBe(true);
    const firstAlert = firstAlerting(stream, expected);
    expect(firstAlert).toBeGreaterThan(0);

    const service = run.start({
      ELASTICSEARCH_URL: proxy.url,
      TUXWATCH_TIMEZONE: ZONE,
      TUXWATCH_BATCH_SIZE: '100',
    });
    let exited = false;
    void service.exited.then(() => (exited = true));
    await expectReady(service, 60_000);

    // Elasticsearch goes away; the evidence keeps coming, in slices over most of the outage
    await proxy.refuse();
    const downAt = Date.now();
    const slices = 5;
    const commits: number[] = [];
    for (let s = 0; s < slices; s++) {
      const part = stream.slice(
        Math.floor((s * stream.length) / slices),
        Math.floor(((s + 1) * stream.length) / slices),
      );
      await produce(kafka, topic, part, observedAt);
      await sleep(5_000);
      commits.push(await committedTotal(groupId, topic, kafka));
    }
    while (Date.now() - downAt < OUTAGE_MS - 5_000) {
      await sleep(5_000);
      commits.push(await committedTotal(groupId, topic, kafka));
    }
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    commits.push(await committedTotal(groupId, topic, kafka));

    // nothing committed past the first record whose alert could not be indexed, and the position held
    for (const c of commits) expect(c).toBeLessThanOrEqual(firstAlert);
    expect(new Set(commits.slice(1)).size).toBe(1);
    expect(proxy.refusedConnections).toBeGreaterThan(0);
    expect(service.logs).toMatch(/bulk request failed; retrying/);
    expect(await indexedAlerts(es, `${indexPrefix}*`)).toEqual([]);
    expect(exited).toBe(false);

    // Elasticsearch is back
    await proxy.pass();
    await run.allCommitted(stream.length, { timeoutMs: 120_000, logs: () => service.logs });

    const found = await indexedAlerts(es, `${indexPrefix}*`);
    expect(idsAndCounts(found)).toEqual(idsAndCounts(expected));
    expect(await readTopic(kafka, deadLetterTopic)).toEqual([]);
    await expectReady(service);

    // one process, one group membership from start to end: the outage cost no session and no crash
    const joins = logLines(service.logs).filter((l) => l.msg === 'joined consumer group');
    expect(joins, tail(service.logs)).toHaveLength(1);
    expect(service.logs).not.toMatch(/consumer crashed/);

    await service.stop();
    expect((await service.exited).code).toBe(0);
  });
});
