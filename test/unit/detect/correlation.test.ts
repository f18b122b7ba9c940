import { describe, expect, it } from 'vitest';
import type { FieldValue, SiemEvent } from '../../../src/domain/event';
import { InMemoryCorrelationState } from '../../../src/detect/correlation/correlation-state';
import { DetectionEngine } from '../../../src/detect/engine';
import { compile, SSH_FAILED_RULE } from './helpers';

const BASE = `${SSH_FAILED_RULE}---
title: SSH login success
id: 22222222-2222-4222-8222-222222222222
name: ssh_ok
level: low
logsource:
  product: linux
  service: auth
detection:
  sel:
    event.action: ssh_login
    event.outcome: success
  condition: sel
`;

const correlation = (body: string): string => `---
title: Correlated
id: 33333333-3333-4333-8333-333333333333
level: high
correlation:
${body}
`;

function login(
  outcome: string,
  second: number,
  fields: Record<string, FieldValue | undefined> = {},
): SiemEvent {
  return {
    '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    'event.original': `login ${outcome}`,
    'event.dataset': 'auth',
    'event.action': 'ssh_login',
    'event.outcome': outcome,
    'host.name': 'web01',
    'source.ip': '203.0.113.5',
    'user.name': 'root',
    ...fields,
  };
}

function engineFor(body: string) {
  const set = compile(BASE + correlation(body), 'rules/brute.yml');
  expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return { set, engine: new DetectionEngine(set.rules, { correlations: set.correlations }) };
}

describe('correlation rules', () => {
  it('event_count fires once the count is reached, once per burst', () => {
    const { engine } = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 1m\n  condition:\n    gte: 3',
    );
    const ids = (e: SiemEvent) => engine.evaluate(e).map((d) => d.rule.id);
    expect(ids(login('failure', 0))).toEqual([]);
    expect(ids(login('failure', 1))).toEqual([]);
    const third = engine.evaluate(login('failure', 2));
    expect(third.map((d) => d.rule.id)).toEqual(['brute#3']);
    expect(third[0]!.relatedCount).toBe(3);
    expect(ids(login('failure', 3))).toEqual([]);
  });

  it('an event standing for N occurrences weighs N in an event_count window, as one entry', () => {
    const { engine } = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 1m\n  condition:\n    gte: 5',
    );
    const repeated = (second: number, n: number) => login('failure', second, { 'tuxwatch.event.count': n });
    expect(engine.evaluate(login('failure', 0))).toEqual([]);
    expect(engine.evaluate(repeated(1, 3))).toEqual([]);
    const fired = engine.evaluate(repeated(2, 10_000));
    expect(fired.map((d) => [d.rule.id, d.relatedCount])).toEqual([['brute#3', 10_004]]);
    // a forged count of 2^53-1 neither overflows nor costs more than one entry
    const huge = engine.evaluate(repeated(3, Number.MAX_SAFE_INTEGER));
    expect(huge.map((d) => d.relatedCount)).toEqual([Number.MAX_SAFE_INTEGER]);
  });

  it('a count that is not a positive integer weighs 1', () => {
    const { engine } = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 2',
    );
    for (const bad of [0, -5, 2.5, 'many', Number.NaN]) {
      const state = engine.evaluate(login('failure', 0, { 'tuxwatch.event.count': bad }));
      expect(state).toEqual([]);
      expect(engine.evaluate(login('failure', 1)).map((d) => d.relatedCount)).toEqual([2]);
    }
  });

  it('value_count counts distinct values, not occurrences', () => {
    const { engine } = engineFor(
      '  type: value_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 1m\n  condition:\n    field: user.name\n    gte: 2',
    );
    const ev = login('failure', 0, { 'user.name': 'a', 'tuxwatch.event.count': 50 });
    expect(engine.evaluate(ev)).toEqual([]);
    expect(engine.evaluate(login('failure', 1, { 'user.name': 'b' })).map((d) => d.rule.id)).toEqual([
      'brute#3',
    ]);
  });

  it('counts per group and per host, within the timespan', () => {
    const { engine } = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 10s\n  condition:\n    gte: 2',
    );
    const ids = (e: SiemEvent) => engine.evaluate(e).map((d) => d.rule.id);
    expect(ids(login('failure', 0))).toEqual([]);
    expect(ids(login('failure', 1, { 'source.ip': '198.51.100.1' }))).toEqual([]);
    expect(ids(login('failure', 2, { 'host.name': 'web02' }))).toEqual([]);
    expect(ids(login('failure', 30))).toEqual([]); // the first is out of the window
    expect(ids(login('failure', 31))).toEqual(['brute#3']);
  });

  it('an event missing a group-by field enters no window: nameless failures are not one account', () => {
    const { engine } = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  group-by: [user.name, host.name]\n  timespan: 1m\n  condition:\n    gte: 3',
    );
    const ids = (e: SiemEvent) => engine.evaluate(e).map((d) => d.rule.id);
    for (const second of [0, 1, 2, 3]) {
      expect(ids(login('failure', second, { 'user.name': undefined }))).toEqual([]);
      expect(ids(login('failure', second, { 'user.name': '' }))).toEqual([]);
    }
    expect(ids(login('failure', 4))).toEqual([]);
    expect(ids(login('failure', 5))).toEqual([]);
    expect(ids(login('failure', 6))).toEqual(['brute#3']); // root's own three, none of the nameless
  });

  it('base rules stay quiet unless generate is true', () => {
    const quiet = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 5',
    );
    expect(quiet.engine.evaluate(login('failure', 0))).toEqual([]);
    expect(quiet.engine.evaluate(login('success', 0)).map((d) => d.rule.id)).toEqual(['brute#2']);
    const loud = engineFor(
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  generate: true\n  condition:\n    gte: 5',
    );
    expect(loud.engine.evaluate(login('failure', 0)).map((d) => d.rule.id)).toEqual(['brute#1']);
  });

  it('value_count counts distinct values', () => {
    const { engine } = engineFor(
      '  type: value_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 1m\n  condition:\n    field: user.name\n    gt: 2',
    );
    const ids = (e: SiemEvent) => engine.evaluate(e).map((d) => d.rule.id);
    expect(ids(login('failure', 0, { 'user.name': 'a' }))).toEqual([]);
    expect(ids(login('failure', 1, { 'user.name': 'a' }))).toEqual([]);
    expect(ids(login('failure', 2, { 'user.name': 'b' }))).toEqual([]);
    expect(ids(login('failure', 3, { 'user.name': 'c' }))).toEqual(['brute#3']);
  });

  it('value_count follows its window: values leave with their entries, a late entry is counted in, a fire starts over', () => {
    const { engine } = engineFor(
      '  type: value_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 10s\n  condition:\n    field: user.name\n    gte: 3',
    );
    const ids = (second: number, user: string) =>
      engine.evaluate(login('failure', second, { 'user.name': user })).map((d) => d.rule.id);
    expect(ids(0, 'a')).toEqual([]);
    expect(ids(1, 'b')).toEqual([]);
    expect(ids(2, 'a')).toEqual([]);
    expect(ids(12, 'c')).toEqual([]); // a at 0 and b at 1 have left: a, c
    expect(ids(13, 'd')).toEqual([]); // a at 2 has left: c, d
    expect(ids(14, 'e')).toEqual(['brute#3']);
    expect(ids(15, 'a')).toEqual([]); // the window fired: it starts over
    expect(ids(16, 'b')).toEqual([]);
    expect(ids(30, 'x')).toEqual([]); // a and b left
    expect(ids(40, 'y')).toEqual([]);
    expect(ids(35, 'z')).toEqual(['brute#3']); // out of order, inside the window: x, z, y
  });

  it('temporal needs every rule in the window; temporal_ordered needs them in order', () => {
    const t = engineFor(
      '  type: temporal\n  rules: [ssh_ok, ssh_failed]\n  group-by: [user.name]\n  timespan: 1m',
    );
    expect(t.engine.evaluate(login('failure', 0))).toEqual([]);
    expect(t.engine.evaluate(login('success', 1)).map((d) => d.rule.id)).toEqual(['brute#3']);
    const o = engineFor(
      '  type: temporal_ordered\n  rules: [ssh_failed, 22222222-2222-4222-8222-222222222222]\n  timespan: 1m',
    );
    expect(o.engine.evaluate(login('success', 0))).toEqual([]);
    expect(o.engine.evaluate(login('failure', 1))).toEqual([]);
    expect(o.engine.evaluate(login('success', 2)).map((d) => d.rule.id)).toEqual(['brute#3']);
  });

  it('temporal_ordered after a long run of its first step: fires at the last step, also one arriving late', () => {
    const o = engineFor('  type: temporal_ordered\n  rules: [ssh_failed, ssh_ok]\n  timespan: 1m');
    for (let i = 0; i < 2000; i++) expect(o.engine.evaluate(login('failure', 10 + (i % 40)))).toEqual([]);
    expect(o.engine.evaluate(login('success', 50)).map((d) => d.rule.id)).toEqual(['brute#3']);
    // a success older than a later failure still completes the sequence with an earlier one
    expect(o.engine.evaluate(login('failure', 20))).toEqual([]);
    expect(o.engine.evaluate(login('failure', 30))).toEqual([]);
    expect(o.engine.evaluate(login('success', 25)).map((d) => d.rule.id)).toEqual(['brute#3']);
    // and a failure arriving late, before a success already seen, completes it too
    expect(o.engine.evaluate(login('success', 40))).toEqual([]);
    expect(o.engine.evaluate(login('failure', 35)).map((d) => d.rule.id)).toEqual(['brute#3']);
  });

  it('state is injected', () => {
    const set = compile(
      BASE +
        correlation('  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 2'),
    );
    const state = new InMemoryCorrelationState();
    const engine = new DetectionEngine(set.rules, {
      correlations: set.correlations,
      correlationState: state,
    });
    engine.evaluate(login('failure', 0));
    expect(state.size).toBe(1);
  });

  it('windows move to another process as a snapshot and finish counting there', () => {
    const set = compile(
      BASE +
        correlation(
          '  type: event_count\n  rules: [ssh_failed]\n  group-by: [source.ip]\n  timespan: 1m\n  condition:\n    gte: 3',
        ),
    );
    const changed: string[] = [];
    const before = new InMemoryCorrelationState({ onChange: (h) => changed.push(h) });
    const first = new DetectionEngine(set.rules, {
      correlations: set.correlations,
      correlationState: before,
    });
    first.evaluate(login('failure', 0));
    first.evaluate(login('failure', 1));
    expect(changed).toEqual(['web01', 'web01']);
    const json = before.snapshot('web01')!;
    expect(before.snapshot('db02')).toBeUndefined();

    const after = new InMemoryCorrelationState();
    after.restore('web01', json);
    expect(after.snapshot('web01')).toBe(json);
    const second = new DetectionEngine(set.rules, {
      correlations: set.correlations,
      correlationState: after,
    });
    const fired = second.evaluate(login('failure', 2));
    expect(fired.filter((d) => d.relatedCount).map((d) => d.relatedCount)).toEqual([3]);
    after.drop('web01');
    expect(after.size).toBe(0);
  });

  it('a full window loses its oldest eighth at once, not one entry per event', () => {
    const state = new InMemoryCorrelationState({ limits: { maxEntries: 16 } });
    const key = { correlation: 'spray', host: 'web01', group: '["203.0.113.5"]' };
    const lengths = Array.from({ length: 20 }, (_, i) => state.add(key, { time: i, rule: 0 }, 0)!.length);
    // 16 kept; the 17th entry takes the window down to 14 (16 less 2), which then fills again
    expect(lengths).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 14, 15, 16, 14]);
    // the newest stay, in order
    expect(state.add(key, { time: 20, rule: 0 }, 0)!.map((e) => e.time)).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    ]);
  });

  it('a host holds at most maxGroupsPerHost windows: the least recently added to goes first', () => {
    const state = new InMemoryCorrelationState({ limits: { maxGroupsPerHost: 2 } });
    const key = (correlation: string, ip: string) => ({ correlation, host: 'web01', group: `["${ip}"]` });
    state.add(key('brute', 'a'), { time: 1, rule: 0 }, 0);
    state.add(key('spray', 'a'), { time: 2, rule: 0 }, 0);
    // brute/a is used again: spray/a is now the least recent, and the third window pushes it out
    state.add(key('brute', 'a'), { time: 3, rule: 0 }, 0);
    state.add(key('brute', 'b'), { time: 4, rule: 0 }, 0);
    const windows = (): [string, unknown[]][] => JSON.parse(state.snapshot('web01')!).windows;
    expect(windows().map(([k, entries]) => [k, entries.length])).toEqual([
      ['brute\u0000["a"]', 2],
      ['brute\u0000["b"]', 1],
    ]);
    expect(state.size).toBe(2);
    // a window that fired and was cleared starts again empty, as the most recent
    state.clear(key('brute', 'a'));
    expect(state.size).toBe(1);
    state.add(key('brute', 'a'), { time: 5, rule: 0 }, 0);
    expect(windows().map(([k, entries]) => [k, entries.length])).toEqual([
      ['brute\u0000["b"]', 1],
      ['brute\u0000["a"]', 1],
    ]);
  });

  it('a snapshot from a topic is checked before it is believed', () => {
    const state = new InMemoryCorrelationState();
    const good = { v: 1, host: 'web01', windows: [['c\u0000g', [{ time: 1, rule: 0, value: 'root' }]]] };
    expect(() => state.restore('web01', JSON.stringify(good))).not.toThrow();
    expect(() => state.restore('db02', JSON.stringify(good))).toThrow(/for host "web01"/);
    expect(() => state.restore('web01', '{')).toThrow(/not JSON/);
    expect(() => state.restore('web01', '{"v":2}')).toThrow(/version 2/);
    const bad = (windows: unknown) => () =>
      state.restore('web01', JSON.stringify({ v: 1, host: 'web01', windows }));
    expect(bad({})).toThrow(/windows must be an array/);
    expect(bad([['k']])).toThrow(/is not a \[key, entries\] pair/);
    expect(bad([['k', [{ time: 'x', rule: 0 }]]])).toThrow(/time must be epoch/);
    expect(bad([['k', [{ time: 1, rule: -1 }]]])).toThrow(/rule index/);
    expect(bad([['k', [{ time: 1, rule: 0, value: 7 }]]])).toThrow(/value must be a string/);
    expect(bad([['k', [{ time: 1, rule: 0, count: 0 }]]])).toThrow(/count must be a positive integer/);
    expect(bad([['k', [{ time: 1, rule: 0, count: '9' }]]])).toThrow(/count must be a positive integer/);
  });

  it('a snapshot keeps what a correlation decides on, not the events, and fits the size it is given', () => {
    const state = new InMemoryCorrelationState();
    for (let ip = 0; ip < 200; ip++) {
      const key = { correlation: 'brute', host: 'web01', group: `["203.0.113.${ip}"]` };
      state.add(key, { time: ip * 1000, rule: 0, ...(ip === 1 && { count: 500 }) }, 0);
    }
    const whole = state.snapshot('web01')!;
    expect(JSON.parse(whole).windows[0]).toEqual(['brute\u0000["203.0.113.0"]', [{ time: 0, rule: 0 }]]);
    expect(JSON.parse(whole).windows[1]).toEqual([
      'brute\u0000["203.0.113.1"]',
      [{ time: 1000, rule: 0, count: 500 }],
    ]);
    const capped = state.snapshot('web01', 4_000)!;
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(4_000);
    const kept = JSON.parse(capped).windows.map(([k]: [string]) => k);
    // the least recently used windows go first
    expect(kept.at(-1)).toBe('brute\u0000["203.0.113.199"]');
    expect(kept).not.toContain('brute\u0000["203.0.113.0"]');
  });

  it.each([
    [
      'an unknown rule',
      '  type: event_count\n  rules: [nope]\n  timespan: 1m\n  condition:\n    gte: 2',
      /no loaded rule is named "nope"/,
    ],
    [
      'a bad type',
      '  type: sometimes\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 2',
      /type must be one of/,
    ],
    [
      'a bad timespan',
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: soon\n  condition:\n    gte: 2',
      /timespan is a number and a unit/,
    ],
    [
      'a missing condition',
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m',
      /needs a condition/,
    ],
    [
      'value_count without field',
      '  type: value_count\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 2',
      /names the counted field/,
    ],
    [
      'aliases',
      '  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  aliases: {}\n  condition:\n    gte: 2',
      /aliases are not supported/,
    ],
  ])('%s is a located error', (_what, body, message) => {
    const set = compile(BASE + correlation(body));
    const err = set.problems.find((p) => p.severity === 'error');
    expect(err?.message).toMatch(message);
    expect(err?.line).toBeGreaterThan(28);
    expect(set.correlations).toHaveLength(0);
  });

  it('a correlation over an inactive rule is inactive, with a note', () => {
    const set = compile(
      BASE.replace('service: auth', 'service: apache') +
        correlation('  type: event_count\n  rules: [ssh_failed]\n  timespan: 1m\n  condition:\n    gte: 2'),
    );
    expect(set.correlations[0]?.active).toBe(false);
    expect(set.problems.some((p) => p.severity === 'note' && /correlation inactive/.test(p.message))).toBe(
      true,
    );
  });
});
