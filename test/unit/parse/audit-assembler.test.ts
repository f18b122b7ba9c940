import { describe, expect, it } from 'vitest';
import {
  AuditAssembler,
  DEFAULT_ASSEMBLER_LIMITS,
  type AssembledEvent,
} from '../../../src/parse/audit/assembler';
import { parseAuditLine, type AuditRecord } from '../../../src/parse/audit/audit-line';
import { db03Syslog, eventLines, web02Audit } from './audit-evidence';

const rec = (line: string): AuditRecord => {
  const r = parseAuditLine(line);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
};

/** Feeds lines (tag: their index) and collects every completed event, then flushes. */
function assemble(
  lines: readonly string[],
  assembler = new AuditAssembler<number>(),
): AssembledEvent<number>[] {
  const out: AssembledEvent<number>[] = [];
  lines.forEach((line, i) => {
    const r = rec(line);
    out.push(...assembler.add(r, r.node ?? 'unknown', i));
  });
  return [...out, ...assembler.flush()];
}

const ids = (events: readonly AssembledEvent<number>[]): string[] => events.map((e) => e.records[0]!.id);

describe('the audit assembler', () => {
  it('groups all of web02 into events whose records share host and msg=audit(TIME:SERIAL)', () => {
    const lines = web02Audit();
    const events = assemble(lines);
    expect(events.reduce((n, e) => n + e.records.length, 0)).toBe(lines.length);
    for (const e of events) expect(new Set(e.records.map((r) => r.id)).size).toBe(1);
    // one event per distinct (time, serial): auditd's own DAEMON_START reuses a kernel serial at another time
    expect(events).toHaveLength(new Set(lines.map((l) => /audit\(([^)]+)\)/.exec(l)![1])).size);
    expect(events.filter((e) => e.end === 'flush')).toHaveLength(0);
  });

  it('a record arriving after a later event (web02: a PROCTITLE after the next exec) joins its own event', () => {
    const lines = web02Audit();
    const [late] = eventLines(lines, '1795792327.950:7507').slice(-1);
    expect(late).toContain('type=PROCTITLE');
    const events = assemble(lines);
    const e7507 = events.find((e) => e.records[0]!.id === '1795792327.950:7507')!;
    const e7508 = events.find((e) => e.records[0]!.id === '1795792327.950:7508')!;
    expect(e7507.records.map((r) => r.type)).toEqual(
      eventLines(lines, '1795792327.950:7507').map((l) => /type=(\S+)/.exec(l)![1]),
    );
    expect(e7507.end).toBe('last-record');
    // 7508 was complete (its PROCTITLE) before 7507's last record came
    expect(events.indexOf(e7508)).toBeLessThan(events.indexOf(e7507));
  });

  it('EOE closes its event and is not part of it; a lone EOE is dropped', () => {
    const lines = db03Syslog().filter((l) => l.includes(' type='));
    const withEoe = lines.findIndex((l) => l.includes('type=EOE'));
    const id = /audit\(([^)]+)\)/.exec(lines[withEoe]!)![1]!;
    const event = lines.filter((l) => l.includes(`audit(${id})`));
    const a = new AuditAssembler<number>();
    const done: AssembledEvent<number>[] = [];
    event.forEach((l, i) => done.push(...a.add(rec(l), 'db03', i)));
    expect(done).toHaveLength(1);
    expect(done[0]!.records.some((r) => r.type === 'EOE')).toBe(false);
    expect(a.add(rec(event.at(-1)!), 'db03', 99)).toEqual([]);
    expect(a.size).toBe(0);
  });

  it('an event with no closing record ends when its host shows a record 2 s later', () => {
    const lines = web02Audit();
    const exec = eventLines(lines, '1795792355.578:8546').filter((l) => !l.includes('PROCTITLE'));
    const later = lines.find((l) => /audit\(179579235[89]\.\d+:/.test(l))!;
    const a = new AuditAssembler<number>();
    for (const [i, l] of exec.entries()) expect(a.add(rec(l), 'web02', i)).toEqual([]);
    expect(a.oldestPendingTag()).toBe(0);
    // another host's later record does not end it
    expect(a.add(rec(later), 'db03', 50)).toEqual([]);
    const done = a.add(rec(later), 'web02', 51);
    expect(done.map((e) => [e.records[0]!.id, e.end])).toContainEqual([
      '1795792355.578:8546',
      'later-record',
    ]);
  });

  it('a host gone quiet does not hold its open event for ever', () => {
    const a = new AuditAssembler<number>({ ...DEFAULT_ASSEMBLER_LIMITS, quietRecords: 3 });
    const lines = web02Audit();
    a.add(rec(lines.find((l) => l.includes('type=SYSCALL'))!), 'quiet', 0);
    const others = lines.filter((l) => l.includes('type=CONFIG_CHANGE')).slice(0, 4);
    const done = others.flatMap((l, i) => a.add(rec(l), 'busy', i + 1));
    expect(done.map((e) => e.host)).toEqual(['quiet']);
  });

  it('is bounded: past the pending limit the oldest event is reported as it is', () => {
    const a = new AuditAssembler<number>({ ...DEFAULT_ASSEMBLER_LIMITS, maxPendingEvents: 2 });
    const syscalls = web02Audit()
      .filter((l) => l.includes('type=SYSCALL'))
      .slice(0, 3);
    const done = syscalls.flatMap((l, i) => a.add(rec(l), 'web02', i));
    expect(done).toHaveLength(1);
    expect(done[0]!.end).toBe('limit');
    expect(done[0]!.tags).toEqual([0]);
    expect(a.oldestPendingTag()).toBe(1);
  });

  it('the same records in the same order make the same events, however they are split into calls', () => {
    const lines = web02Audit().slice(9000, 11000);
    const whole = assemble(lines);
    const a = new AuditAssembler<number>();
    const first = lines.slice(0, 777).flatMap((l, i) => a.add(rec(l), 'web02', i));
    const rest = lines.slice(777).flatMap((l, i) => a.add(rec(l), 'web02', i + 777));
    expect(ids([...first, ...rest, ...a.flush()])).toEqual(ids(whole));
  });

  it('the oldest open event names the first record still needed', () => {
    const lines = web02Audit();
    const start = lines.findIndex((l) => l.includes('audit(1795792353.878:7950)'));
    const a = new AuditAssembler<number>();
    // the ADD_USER of r00t is a one-record event: complete at once, nothing pending
    expect(a.add(rec(lines[start]!), 'web02', start)).toHaveLength(1);
    expect(a.oldestPendingTag()).toBeUndefined();
    const exec = eventLines(lines, '1795792355.578:8546');
    a.add(rec(exec[0]!), 'web02', 7);
    a.add(rec(exec[1]!), 'web02', 8);
    expect(a.oldestPendingTag()).toBe(7);
    expect(a.flush().map((e) => e.end)).toEqual(['flush']);
  });
});
