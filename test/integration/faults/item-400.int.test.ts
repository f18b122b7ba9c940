import { describe, expect, it } from 'vitest';
import { alertIndex } from '../../../src/alert/build-alert';
import { useScenario } from '../../support/scenario';
import {
  expectReady,
  expectedAlerts,
  hostLines,
  idsAndCounts,
  indexedAlerts,
  interleave,
  produce,
  readTopic,
  recordText,
  ZONE,
} from './fault-helpers';

/**
 * Real per-item 400s from the real node, mixed into bulks with items that succeed: the month's alert index
 * is created beforehand with `user.target.name` mapped as `long`, so every alert naming a target account
 * (web01's UID 0 accounts and sudo group additions) is refused with a document parsing error while the
 * other alerts of the same bulk (SSH correlations, the other month's index) are created. Exactly the
 * records behind the refused alerts go to the dead-letter topic, with the status in the reason and their
 * source position in headers; the rest is indexed; everything is committed; the service stays ready.
 */
describe('fault: per-item 400 in a bulk', () => {
  const run = useScenario('fault-item400');
  const { kafka, topic, deadLetterTopic, indexPrefix } = run;
  const observedAt = new Date();
  const stream = interleave(hostLines('openssh'), hostLines('web01'));
  it('dead-letters exactly the records whose alerts the node refuses, and indexes the rest', async () => {
    const { es } = run;
    const expected = expectedAlerts(stream, observedAt);
    const web01 = expected.filter((a) => a.host === 'web01');
    const conflicting = web01.filter(
      (a) => a.ruleId === 'new-uid0-account' || a.ruleId === 'sudo-group-membership',
    );
    // toor and tmpadmin (UID 0), svc-backup and tmpadmin (sudo): four records, four refused alerts
    expect(conflicting).toHaveLength(4);
    const conflictIndex = alertIndex(conflicting[0]!.timestamp, indexPrefix);
    expect(conflicting.every((a) => alertIndex(a.timestamp, indexPrefix) === conflictIndex)).toBe(true);
    await es.indices.create({
      index: conflictIndex,
      mappings: {
        properties: { user: { properties: { target: { properties: { name: { type: 'long' } } } } } },
      },
    });
    const mapping = await es.indices.getMapping({ index: conflictIndex });
    expect(JSON.stringify(mapping)).toContain('"name":{"type":"long"}');
    // the same index holds the web01 alerts that have no target account: the bulk mixes both
    expect(web01.some((a) => a.correlation)).toBe(true);

    await produce(kafka, topic, stream, observedAt);
    const service = run.start({ TUXWATCH_TIMEZONE: ZONE, TUXWATCH_BATCH_SIZE: '500' });
    await run.allCommitted(stream.length, { timeoutMs: 90_000, logs: () => service.logs });

    const refused = new Set(conflicting.map((a) => a.id));
    const found = await indexedAlerts(es, `${indexPrefix}*`);
    expect(idsAndCounts(found)).toEqual(idsAndCounts(expected.filter((a) => !refused.has(a.id))));
    // the refused alerts' index did take the other alerts of the same bulks
    expect(found.filter((a) => a.index === conflictIndex).length).toBeGreaterThan(0);

    const dead = await readTopic(kafka, deadLetterTopic);
    const offsetOf = (original: string): string =>
      String(stream.findIndex((r) => recordText(r.value) === recordText(original)));
    const want = conflicting
      .map((a) => ({ value: a.original, offset: offsetOf(a.original) }))
      .sort((a, b) => Number(a.offset) - Number(b.offset));
    const got = dead
      .map((m) => ({
        value: m.value?.toString(),
        key: m.key?.toString(),
        reason: m.headers?.['tuxwatch.reason']?.toString() ?? '',
        topic: m.headers?.['tuxwatch.source.topic']?.toString(),
        partition: m.headers?.['tuxwatch.source.partition']?.toString(),
        offset: m.headers?.['tuxwatch.source.offset']?.toString() ?? '',
      }))
      .sort((a, b) => Number(a.offset) - Number(b.offset));
    expect(got.map(({ value, offset }) => ({ value, offset }))).toEqual(want);
    for (const d of got) {
      expect(d.key).toBe('web01');
      expect(d.topic).toBe(topic);
      expect(d.partition).toBe('0');
      expect(d.reason).toMatch(/^elasticsearch 400: (document_parsing_exception|mapper_parsing_exception)\b/);
      expect(d.reason).toMatch(/user\.target\.name/);
    }
    // each refused record is dead-lettered once
    expect(new Set(got.map((d) => d.offset)).size).toBe(got.length);

    await expectReady(service);
    await service.stop();
    expect((await service.exited).code).toBe(0);
  });
});
