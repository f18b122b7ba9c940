import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import type { TestRecord } from '../../../src/detect/load/test-cases';
import { runRuleTests } from '../../../src/detect/rule-tests';
import { compile, UUID } from './helpers';

const RULE = `title: New UID 0 account
id: ${UUID}
level: critical
logsource:
  product: linux
  service: auth
detection:
  sel:
    message|contains|all:
      - 'new user'
      - 'UID=0,'
  condition: sel
tests:
  - name: useradd root twin
    expect: match
    source: syslog
    record: 'Nov 26 09:11:17 web01 useradd[207]: new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash'
    host: web01
    timezone: Europe/Berlin
  - name: ordinary user
    expect: no-match
    source: syslog
    record: 'Nov 26 09:11:17 web01 useradd[207]: new user: name=alice, UID=1001, GID=1001'
  - name: ready-made event
    expect: match
    event:
      event.dataset: auth
      message: 'new user: name=x, UID=0, GID=0'
      event.category: [iam]
`;

/** A stand-in for the real parsers: the message is what follows "]: ". */
const fakeParser = (record: TestRecord): SiemEvent[] => {
  const at = record.text.indexOf(']: ');
  if (at < 0) return [];
  return [
    {
      '@timestamp': '2026-11-26T08:11:17.000Z',
      'event.original': record.text,
      'event.dataset': 'auth',
      message: record.text.slice(at + 3),
      ...(record.host !== undefined && { 'host.name': record.host }),
    },
  ];
};

describe('rule test cases', () => {
  it('are validated and carried by the compiled rule', () => {
    const set = compile(RULE);
    expect(set.problems).toEqual([]);
    const r = set.rules[0]!;
    expect(r.tests.map((t) => [t.name, t.expect])).toEqual([
      ['useradd root twin', 'match'],
      ['ordinary user', 'no-match'],
      ['ready-made event', 'match'],
    ]);
    expect(r.tests[0]!.input).toEqual({
      record: {
        text: expect.stringContaining('useradd'),
        source: 'syslog',
        host: 'web01',
        timezone: 'Europe/Berlin',
      },
    });
    expect(r.tests[2]!.input).toMatchObject({ event: { 'event.category': ['iam'], 'event.original': '' } });
  });

  it('run through the injected parser', () => {
    const r = compile(RULE).rules[0]!;
    const seen: TestRecord[] = [];
    const results = runRuleTests(r, (rec) => {
      seen.push(rec);
      return fakeParser(rec);
    });
    expect(results.map((x) => [x.name, x.outcome])).toEqual([
      ['useradd root twin', 'pass'],
      ['ordinary user', 'pass'],
      ['ready-made event', 'pass'],
    ]);
    expect(seen.map((s) => s.source)).toEqual(['syslog', 'syslog']);
    expect(results[0]).toMatchObject({
      file: 'rules/test-rule.yml',
      line: 14,
      col: 5,
      events: 1,
      matched: true,
    });
  });

  it('fail with a reason', () => {
    const wrong = RULE.replace('expect: no-match', 'expect: match').replace(
      /expect: match\n {4}source: syslog\n {4}record: 'Nov 26 09:11:17 web01 useradd\[207\]: new user: name=toor/,
      "expect: no-match\n    source: syslog\n    record: 'Nov 26 09:11:17 web01 useradd[207]: new user: name=toor",
    );
    const r = compile(wrong).rules[0]!;
    const results = runRuleTests(r, fakeParser);
    expect(results.map((x) => x.outcome)).toEqual(['fail', 'fail', 'pass']);
    expect(results[0]!.reason).toBe('expected no match, but the rule fired');
    expect(results[1]!.reason).toMatch(/expected a match, but none of the 1 event/);
    const none = runRuleTests(r, () => []);
    expect(none[1]!.reason).toBe('expected a match, but the record produced no event');
    const throwing = runRuleTests(r, () => {
      throw new Error('unparseable');
    });
    expect(throwing[1]!.reason).toMatch(/could not be parsed: unparseable/);
  });

  it('respect the logsource, as the engine does', () => {
    const r = compile(RULE).rules[0]!;
    const results = runRuleTests(r, (rec) =>
      fakeParser(rec).map((e) => ({ ...e, 'event.dataset': 'syslog' })),
    );
    expect(results[0]!.outcome).toBe('fail');
  });

  it('are skipped for an inactive rule', () => {
    const r = compile(RULE.replace('service: auth', 'service: apache')).inactive[0]!;
    expect(runRuleTests(r, fakeParser).map((x) => x.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
  });

  it.each([
    [
      'an unknown source',
      (t: string) => t.replace('source: syslog', 'source: journald'),
      /unknown source "journald"/,
    ],
    [
      'a bad expect',
      (t: string) => t.replace('expect: no-match', 'expect: maybe'),
      /expect must be "match" or "no-match"/,
    ],
    [
      'a missing name',
      (t: string) => t.replace('  - name: ordinary user\n    expect', '  - expect'),
      /test case needs "name"/,
    ],
    [
      'an unknown time zone',
      (t: string) => t.replace('Europe/Berlin', 'Mars/Olympus'),
      /unknown IANA time zone/,
    ],
    [
      'event and record together',
      (t: string) => t.replace('    event:\n', '    source: syslog\n    event:\n'),
      /either an event or a source \+ record/,
    ],
    [
      'a nested event',
      (t: string) => t.replace('      event.category: [iam]', '      event:\n        category: iam'),
      /events are flat/,
    ],
    [
      'an unknown key',
      (t: string) => t.replace('    host: web01', '    hots: web01'),
      /unknown test case key "hots"/,
    ],
    [
      'tests that are not a list',
      (t: string) => t.slice(0, t.indexOf('tests:')) + 'tests: yes\n',
      /tests must be a list/,
    ],
    [
      'duplicate names',
      (t: string) => t.replace('ordinary user', 'useradd root twin'),
      /two test cases named/,
    ],
  ])('%s is a located error', (_what, edit, message) => {
    const set = compile(edit(RULE));
    const err = set.problems.find((p) => p.severity === 'error');
    expect(err?.message).toMatch(message);
    expect(err?.line).toBeGreaterThanOrEqual(13);
    expect(set.rules).toHaveLength(0);
  });
});
