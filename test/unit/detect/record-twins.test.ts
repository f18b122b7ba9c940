import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { InMemoryCorrelationState } from '../../../src/detect/correlation/correlation-state';
import { CopyIndex, fingerprint, recordTwin } from '../../../src/detect/correlation/record-twins';
import { DetectionEngine } from '../../../src/detect/engine';
import { compile, SSH_FAILED_RULE } from './helpers';

// ssh-brute-force's shape: five failures from one address within five minutes
const RULES = `${SSH_FAILED_RULE}---
title: Brute force
id: 33333333-3333-4333-8333-333333333333
level: medium
correlation:
  type: event_count
  rules:
    - ssh_failed
  group-by:
    - source.ip
  timespan: 5m
  condition:
    gte: 5
`;

/** The encodings rsyslog writes one record in, as the parsers mark them (event.module, log.syslog.format). */
const ENCODINGS = {
  'auth.log': { 'event.module': 'syslog', 'log.syslog.format': 'rfc3164' },
  'auth-iso8601.log': { 'event.module': 'syslog', 'log.syslog.format': 'iso8601' },
  'auth-rfc5424.log': { 'event.module': 'syslog', 'log.syslog.format': 'rfc5424' },
  'all-rsyslog.jsonl': { 'event.module': 'rsyslog-json', 'log.syslog.format': 'rfc3164' },
} as const;
type Encoding = keyof typeof ENCODINGS;

/**
 * sshd's failure for `pid` at `second` (+ `ms`: auth.log has no fraction, the other encodings do), in one
 * encoding: the fields the parsers give each of them for web01's real line.
 */
function failure(encoding: Encoding, second: number, pid: number, ms = 0): SiemEvent {
  const message = `Failed password for root from 127.0.0.1 port ${41000 + pid} ssh2`;
  return {
    '@timestamp': new Date(Date.UTC(2026, 10, 26, 7, 10, second, ms)).toISOString(),
    'event.original': message,
    message,
    ...ENCODINGS[encoding],
    'event.dataset': 'auth',
    'event.action': 'ssh_login',
    'event.outcome': 'failure',
    'host.name': 'web01',
    'process.name': 'sshd',
    'process.pid': pid,
    'source.ip': '127.0.0.1',
    'user.name': 'root',
  };
}

function engine(state = new InMemoryCorrelationState()) {
  const set = compile(RULES, 'rules/brute.yml');
  expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const e = new DetectionEngine(set.rules, { correlations: set.correlations, correlationState: state });
  /** the correlation alerts the events give, as their related counts */
  const fired = (events: SiemEvent[]) =>
    events
      .flatMap((ev) => e.evaluate(ev).filter((d) => d.relatedCount !== undefined))
      .map((d) => d.relatedCount);
  return { state, fired };
}

describe('a record in several encodings counts once in correlations', () => {
  it('three attempts in four encodings are three, not twelve: no brute force', () => {
    const { fired } = engine();
    const attempts = [1, 2, 3];
    for (const encoding of Object.keys(ENCODINGS) as Encoding[])
      expect(
        fired(attempts.map((s) => failure(encoding, s, 170 + s, encoding === 'auth.log' ? 0 : 360))),
      ).toEqual([]);
  });

  it('the same three attempts as distinct records (other pids) are counted: the control', () => {
    const { fired } = engine();
    expect(fired([1, 2, 3].map((s) => failure('auth.log', s, 170 + s)))).toEqual([]);
    expect(fired([1, 2, 3].map((s) => failure('auth-rfc5424.log', s, 270 + s, 360)))).toEqual([5]);
  });

  it("an encoding's own repeats are occurrences: five identical lines of one connection in one second fire", () => {
    const { fired } = engine();
    expect(fired(Array.from({ length: 5 }, () => failure('auth.log', 1, 175)))).toEqual([5]);
  });

  it('copies of lines repeated in one encoding claim one each, and a copy with no original left counts', () => {
    const { fired } = engine();
    expect(fired([failure('auth.log', 1, 175), failure('auth.log', 1, 175)])).toEqual([]);
    // two copies claim the two originals; the third in this encoding is an occurrence of its own
    expect(fired([1, 2, 3].map(() => failure('all-rsyslog.jsonl', 1, 175, 500)))).toEqual([]);
    expect(fired([failure('auth.log', 2, 176), failure('auth.log', 3, 177)])).toEqual([5]);
  });

  it('copies of the records of an alert, read after it (the next file), are not a second alert', () => {
    const { fired } = engine();
    const seconds = [1, 2, 3, 4, 5, 6, 7];
    expect(fired(seconds.map((s) => failure('auth.log', s, 170 + s)))).toEqual([5]);
    for (const encoding of ['auth-iso8601.log', 'auth-rfc5424.log', 'all-rsyslog.jsonl'] as const)
      expect(fired(seconds.map((s) => failure(encoding, s, 170 + s, 999)))).toEqual([]);
    // a new attempt after them still counts, with the two left over from the alert's burst
    expect(fired([8, 9, 10].map((s) => failure('auth-rfc5424.log', s, 170 + s)))).toEqual([5]);
  });

  it('copies are found among spent entries out of time order (a clock set back between two alerts)', () => {
    const { fired } = engine();
    const late = [100, 101, 102, 103, 104];
    const early = [1, 2, 3, 4, 5];
    expect(fired(late.map((s) => failure('auth.log', s, 100 + s)))).toEqual([5]);
    expect(fired(early.map((s) => failure('auth.log', s, 100 + s)))).toEqual([5]);
    expect(fired([...early, ...late].map((s) => failure('auth-rfc5424.log', s, 100 + s, 250)))).toEqual([]);
  });

  it('a copy in another second is another record', () => {
    const { fired } = engine();
    expect(fired([1, 2, 3].map((s) => failure('auth.log', s, 170 + s)))).toEqual([]);
    expect(fired([1, 2].map((s) => failure('auth-rfc5424.log', s + 1, 170 + s)))).toEqual([5]);
  });

  it("a service's reloaded rules (a new engine over the same windows) still know the copies", () => {
    const before = engine();
    expect(before.fired([1, 2, 3].map((s) => failure('auth.log', s, 170 + s)))).toEqual([]);
    const after = engine(before.state);
    expect(after.fired([1, 2, 3].map((s) => failure('all-rsyslog.jsonl', s, 170 + s, 360)))).toEqual([]);
    expect(after.fired([4, 5].map((s) => failure('auth.log', s, 170 + s)))).toEqual([5]);
  });

  it('what was spent is not kept in a snapshot, nor anything of the copies', () => {
    const { state, fired } = engine();
    expect(fired([1, 2, 3, 4, 5].map((s) => failure('auth.log', s, 170 + s)))).toEqual([5]);
    // the window fired: nothing left to count, so nothing to restore
    expect(state.snapshot('web01')).toBeUndefined();
    fired([failure('auth.log', 6, 176), failure('all-rsyslog.jsonl', 6, 176, 10)]);
    const windows = JSON.parse(state.snapshot('web01')!).windows as [string, unknown[]][];
    expect(windows.map(([, entries]) => entries)).toEqual([
      [{ time: Date.UTC(2026, 10, 26, 7, 10, 6), rule: 0 }],
    ]);
  });

  it('a copy read long after its original left the window (the next file of a directory) is still known', () => {
    const { fired } = engine();
    const attempts = (encoding: Parameters<typeof failure>[0], from: number) =>
      [0, 1, 2].map((i) => failure(encoding, from + i, 170 + from + i));
    // one file: three attempts, then three more twenty minutes later: no burst of five
    expect(fired([...attempts('all-rsyslog.jsonl', 1), ...attempts('all-rsyslog.jsonl', 1200)])).toEqual([]);
    // the next file holds the same six records: none counts again, with the window or with each other
    expect(fired([...attempts('auth.log', 1), ...attempts('auth.log', 1200)])).toEqual([]);
    // records that are not copies still count
    expect(fired([1300, 1301, 1302, 1303, 1304].map((s) => failure('auth.log', s, 9000 + s)))).toEqual([5]);
  });

  it.each([
    ['an hour early (the repeated hour when clocks go back, read as its first pass)', -3_600_000],
    ['a year early (a year inferred wrong)', -365 * 86_400_000],
    ['five and a half hours late (a mistaken --timezone)', 19_800_000],
  ])("auth.log's copy read %s is still a copy; a second off, another record", (_, shiftMs) => {
    const index = new CopyIndex();
    const exact = failure('auth-rfc5424.log', 26, 207, 612);
    const guessed = failure('auth.log', 26, 207);
    const at = Date.parse(exact['@timestamp']);
    expect(index.isCopy(recordTwin(exact, at, 'web01')!)).toBe(false);
    expect(index.isCopy(recordTwin(guessed, at - 612 + shiftMs + 1000, 'web01')!)).toBe(false);
    expect(index.isCopy(recordTwin(guessed, at - 612 + shiftMs, 'web01')!)).toBe(true);
  });

  it('more than 64 occurrences of one second are each found by their copies', () => {
    const { fired } = engine();
    const burst = (encoding: Parameters<typeof failure>[0]) =>
      Array.from({ length: 100 }, (_, i) => failure(encoding, 7, 1000 + i));
    expect(fired(burst('auth.log'))).toEqual(Array(20).fill(5));
    expect(fired(burst('all-rsyslog.jsonl'))).toEqual([]);
  });
});

describe('fingerprint', () => {
  it('is the same for the same second, pid and message, and differs when any of them does', () => {
    const f = fingerprint(1_795_000_000, 175, 'Failed password for root from 127.0.0.1 port 41842 ssh2');
    expect(fingerprint(1_795_000_000, 175, 'Failed password for root from 127.0.0.1 port 41842 ssh2')).toBe(
      f,
    );
    expect(
      fingerprint(1_795_000_001, 175, 'Failed password for root from 127.0.0.1 port 41842 ssh2'),
    ).not.toBe(f);
    expect(
      fingerprint(1_795_000_000, 176, 'Failed password for root from 127.0.0.1 port 41842 ssh2'),
    ).not.toBe(f);
    expect(
      fingerprint(1_795_000_000, 175, 'Failed password for root from 127.0.0.1 port 41843 ssh2'),
    ).not.toBe(f);
    expect(Number.isSafeInteger(f)).toBe(true);
  });

  it('spreads: 100,000 records of one second give 100,000 fingerprints', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(fingerprint(1_795_000_000, 175, `Failed password for u${i}`));
    expect(seen.size).toBe(100_000);
  });

  it('an event without a message has none; each encoding, and each file of one, is a channel of its own', () => {
    expect(recordTwin({ '@timestamp': 'x', 'event.module': 'syslog' }, 0, 'web01')).toBeUndefined();
    const channels = (Object.keys(ENCODINGS) as Encoding[]).map(
      (e) => recordTwin(failure(e, 1, 175), 0, 'web01')!.channel,
    );
    expect(new Set(channels).size).toBe(4);
    expect(recordTwin(failure('auth.log', 1, 175), 0, 'web01')!.channel).toBe(channels[0]);
    const inFile = (file: string) => recordTwin(failure('auth.log', 1, 175), 0, 'web01', file)!.channel;
    expect(inFile('/evidence/auth.log')).toBe(inFile('/evidence/auth.log'));
    expect(inFile('/evidence/auth.log')).not.toBe(inFile('/evidence/copy/auth.log'));
    expect(channels).not.toContain(inFile('/evidence/auth.log'));
  });
  it('tells hosts apart: the same line on two hosts is two records', () => {
    const line = 'Failed password for root from 127.0.0.1 port 41842 ssh2';
    expect(fingerprint(1_795_000_000, 175, line, 'web01')).not.toBe(
      fingerprint(1_795_000_000, 175, line, 'web02'),
    );
    expect(fingerprint(1_795_000_000, 175, line, 'web01')).not.toBe(fingerprint(1_795_000_000, 175, line));
  });
});

describe('CopyIndex', () => {
  it("a copy claims an occurrence of another encoding; an encoding's own repeat is an occurrence", () => {
    const index = new CopyIndex();
    expect(index.isCopy({ hash: 7, channel: 1 })).toBe(false);
    expect(index.isCopy({ hash: 7, channel: 1 })).toBe(false);
    expect(index.isCopy({ hash: 7, channel: 2 })).toBe(true);
    expect(index.isCopy({ hash: 7, channel: 2 })).toBe(true);
    // both occurrences have their copy in encoding 2: a third line in it is an occurrence of its own
    expect(index.isCopy({ hash: 7, channel: 2 })).toBe(false);
    expect(index.isCopy({ hash: 7, channel: 1 })).toBe(true);
  });

  it('channels beyond the few a small number holds: a copy in the 40th file of one encoding is a copy', () => {
    const index = new CopyIndex();
    expect(index.isCopy({ hash: 7, channel: 1 })).toBe(false);
    for (let channel = 2; channel <= 40; channel++) expect(index.isCopy({ hash: 7, channel })).toBe(true);
    expect(index.isCopy({ hash: 7, channel: 40 })).toBe(false);
    expect(index.occurrences).toBe(2);
  });

  it('is bounded: past its size the oldest fingerprints are forgotten, and their copies count again', () => {
    const index = new CopyIndex(3);
    for (const hash of [1, 2, 3, 4]) expect(index.isCopy({ hash, channel: 1 })).toBe(false);
    expect(index.isCopy({ hash: 1, channel: 2 })).toBe(false);
    expect(index.isCopy({ hash: 4, channel: 2 })).toBe(true);
  });
  it('counts a fingerprint’s repeats against its size: a flood of repeated lines is bounded too', () => {
    const index = new CopyIndex(100);
    for (let hash = 0; hash < 50; hash++) for (let r = 0; r < 10; r++) index.isCopy({ hash, channel: 1 });
    expect(index.occurrences).toBeLessThanOrEqual(100);
    // the newest fingerprints are still known, with their repeats
    for (let r = 0; r < 10; r++) expect(index.isCopy({ hash: 49, channel: 2 })).toBe(true);
    expect(index.isCopy({ hash: 0, channel: 2 })).toBe(false);
  });

  it('forgets first in first out however long it runs', () => {
    const index = new CopyIndex(1000);
    for (let hash = 0; hash < 100_000; hash++) index.isCopy({ hash, channel: 1 });
    expect(index.occurrences).toBe(1000);
    expect(index.isCopy({ hash: 99_000, channel: 2 })).toBe(true);
    expect(index.isCopy({ hash: 98_999, channel: 2 })).toBe(false);
  });
});
