import { describe, expect, it } from 'vitest';
import { commitPoint } from '../../../src/ingest/kafka/kafka-ingest';
import { UncommittedWork } from '../../../src/serve/uncommitted-work';
import { corpusLines } from '../../support/corpus';

const ctx = { timezone: 'UTC', now: new Date('2026-11-28T00:00:00Z') };
const origin = (offset: number) => ({
  type: 'kafka' as const,
  topic: 'linux.audit',
  partition: 0,
  offset: String(offset),
});

describe('commits stay below an open audit event', () => {
  const web02 = corpusLines('web02', 'audit.log');
  // an exec event: SYSCALL … PROCTITLE
  const start = web02.findIndex((l) => l.includes('type=SYSCALL') && l.includes('syscall=59'));
  const end = web02.findIndex((l, i) => i > start && l.includes('type=PROCTITLE'));

  it('heldFrom is the offset of the first record of the oldest open event, per partition', () => {
    const work = new UncommittedWork();
    const stream = work.auditStream('linux.audit', 0);
    expect(work.heldFrom('linux.audit', 0)).toBeUndefined();
    for (let i = start; i < end; i++) stream.add(web02[i]!, origin(100 + i - start), ctx);
    expect(work.heldFrom('linux.audit', 0)).toBe('100');
    expect(work.heldFrom('linux.audit', 1)).toBeUndefined();
    const done = stream.add(web02[end]!, origin(100 + end - start), ctx);
    expect(done.ok && done.events.some((e) => e['event.action'] === 'executed')).toBe(true);
    expect(work.heldFrom('linux.audit', 0)).toBeUndefined();
  });

  it('a partition given away, or read back after a restore, starts its audit stream afresh', () => {
    const work = new UncommittedWork();
    work.auditStream('linux.audit', 0).add(web02[start]!, origin(7), ctx);
    work.auditStream('linux.audit', 1).add(web02[start]!, origin(9), ctx);
    work.retain({ 'linux.audit': [1] });
    expect(work.heldFrom('linux.audit', 0)).toBeUndefined();
    expect(work.heldFrom('linux.audit', 1)).toBe('9');
    work.forget([1]);
    expect(work.heldFrom('linux.audit', 1)).toBeUndefined();
  });

  it('commitPoint: past the chunk, or at the open event when it began in or before it', () => {
    expect(commitPoint('41', undefined)).toBe('42');
    expect(commitPoint('41', '30')).toBe('30');
    expect(commitPoint('41', '41')).toBe('41');
  });
});
