import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confusable } from '../../../src/detect/load/confusables';
import { CLI, REPO } from '../../support/cli';
import { compile, ruleYaml } from './helpers';

const problems = (text: string) =>
  compile(text).problems.map((p) => `${p.line}:${p.col}: ${p.severity}: ${p.message}`);

describe('R01b: alias expansion is bounded, not only alias count', () => {
  it('one wide anchor aliased 99 times is a located error, in bounded memory and time', () => {
    // the red team's file exactly (attacks/gen_rules.py, 2.9 MB): 300,000 items × 99 aliases = 30 million nodes,
    // 4.34 GB and a crash at b404a64; parsing the 2.9 MB itself takes ~440 MB, so the heap is capped at 768 MB
    const items = Array.from({ length: 300_000 }, (_, i) => `"v${i}"`).join(',');
    const text =
      'title: wide\nid: 22222222-2222-4222-8222-222222222222\nlevel: high\nlogsource: {product: linux}\n' +
      `x: &w [${items}]\n` +
      'detection:\n' +
      Array.from({ length: 99 }, (_, i) => `  s${i}:\n    message|contains: *w\n`).join('') +
      '  condition: 1 of them\n';
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-wide-'));
    writeFileSync(join(dir, 'wide.yml'), text);
    const run = spawnSync(process.execPath, ['--max-old-space-size=768', CLI, 'rules', 'validate', dir], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(
      /wide\.yml:\d+:\d+: error: YAML aliases expand to more than 100000 nodes in one document/,
    );
  }, 60_000);

  it('a few aliases of a small anchor still load', () => {
    const text = ruleYaml('  a: &m {message|contains: [x, y]}\n  b: *m\n  c: *m\n  condition: 1 of them');
    expect(compile(text).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('R05b: deep or long conditions are located errors, not internal ones', () => {
  const withCondition = (c: string) => ruleYaml(`  sel:\n    message|contains: root\n  condition: '${c}'`);
  it.each([
    [
      'parens 100k deep',
      '('.repeat(100_000) + 'sel' + ')'.repeat(100_000),
      /nested deeper than 64 levels/,
      64,
    ],
    ['not chain 100k', 'not '.repeat(100_000) + 'sel', /nested deeper than 64 levels/, 64 * 4],
    ['and chain 100k', Array(100_000).fill('sel').join(' and '), /more than 1000 terms/, 1000 * 8],
    ['or chain 100k', Array(100_000).fill('sel').join(' or '), /more than 1000 terms/, 1000 * 7],
  ])('%s', (_name, condition, message, offset) => {
    const [problem, ...rest] = compile(withCondition(condition)).problems;
    expect(rest).toEqual([]);
    expect(problem!.message).toMatch(message);
    expect(problem!.message).not.toMatch(/internal error/);
    // located at the token that crosses the bound: the condition's text starts at column 15
    expect([problem!.line, problem!.col]).toEqual([10, 15 + offset]);
  });

  it('64 levels and 1000 terms still load', () => {
    for (const c of ['('.repeat(64) + 'sel' + ')'.repeat(64), Array(1000).fill('sel').join(' and ')])
      expect(compile(withCondition(c)).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

describe('R14: correlations that can never mean anything are refused', () => {
  const base =
    'title: base\nname: base\nid: 77777777-7777-4777-8777-777777777770\nlevel: low\nlogsource: {product: linux, service: auth}\n' +
    'detection:\n  sel: {message|contains: Failed}\n  condition: sel\n---\n';
  const corr = (body: string) =>
    base + `title: c\nid: 88888888-8888-4888-8888-888888888880\nlevel: high\ncorrelation:\n${body}\n`;
  it.each([
    [
      'a timespan past 2^53 ms',
      '  type: event_count\n  rules: [base]\n  timespan: 99999999999w\n  condition: {gte: 5}',
      /timespan longer than 52w/,
    ],
    [
      'a year and a day',
      '  type: event_count\n  rules: [base]\n  timespan: 366d\n  condition: {gte: 5}',
      /timespan longer than 52w/,
    ],
    [
      'a threshold of 1e308',
      '  type: event_count\n  rules: [base]\n  timespan: 5m\n  condition: {gte: 1e308}',
      /gte takes a whole number up to 9007199254740991/,
    ],
    [
      'more distinct values than a window keeps',
      '  type: value_count\n  rules: [base]\n  timespan: 5m\n  condition: {field: user.name, gte: 10001}',
      /can never hold: a window holds at most 10000 distinct values/,
    ],
    [
      'more rules than the correlation has',
      '  type: temporal\n  rules: [base]\n  timespan: 5m\n  condition: {gte: 2}',
      /can never hold: the correlation counts 1 distinct rules at most/,
    ],
    [
      'contradictory bounds',
      '  type: value_count\n  rules: [base]\n  timespan: 5m\n  condition: {field: user.name, gt: 5, lt: 3}',
      /can never hold/,
    ],
  ])('%s', (_name, body, message) => {
    expect(problems(corr(body)).filter((p) => /error/.test(p))).toContainEqual(
      expect.stringMatching(message),
    );
  });

  it('an ordinary brute-force correlation loads', () => {
    const ok = corr(
      '  type: event_count\n  rules: [base]\n  group-by: [source.ip]\n  timespan: 52w\n  condition: {gte: 5}',
    );
    expect(problems(ok).filter((p) => /error/.test(p))).toEqual([]);
  });
});

describe('R09: a name that shows as ASCII but is not says so', () => {
  it.each([
    ['sеl', '"sеl" is not "sel": it holds U+0435, a Cyrillic letter drawn like "e"'],
    ['іmage', '"іmage" is not "image": it holds U+0456, a Cyrillic letter drawn like "i"'],
    ['ａnd', '"ａnd" is not "and": it holds U+FF41, a fullwidth "a"'],
    ['con\u200btains', '"con\u200btains" is not "contains": it holds U+200B, an invisible character'],
    ['Ιmage', '"Ιmage" is not "Image": it holds U+0399, a Greek letter drawn like "I"'],
  ])('%s', (word, hint) => expect(confusable(word)).toBe(hint));

  it('plain ASCII, and real words of other scripts, are left alone', () => {
    for (const word of ['sel', 'Image', 'пароль', 'José', 'ユーザー'])
      expect(confusable(word)).toBeUndefined();
  });

  it('the hint reaches the located problem', () => {
    const text = ruleYaml('  sel:\n    message|contains: root\n  condition: sеl');
    expect(problems(text)).toEqual([
      '10:14: error: condition: unknown search identifier "sеl" ("sеl" is not "sel": it holds U+0435, a Cyrillic letter drawn like "e")',
    ]);
  });
});

describe('R15: rule paths that are not files are refused, never read', () => {
  const validate = (...paths: string[]) =>
    spawnSync(process.execPath, [CLI, 'rules', 'validate', ...paths], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('a FIFO named as a rule file: an error at once, no hang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-rule-fifo-'));
    const fifo = join(dir, 'rules.fifo.yml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = validate(fifo);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${fifo}:1:1: error: not a regular file (a FIFO, device or socket)`);
  }, 30_000);

  it('/dev/zero: an error at once, nothing read', () => {
    const run = validate('/dev/zero');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('/dev/zero:1:1: error: not a regular file');
  }, 30_000);

  it('a FIFO inside a rules directory is a warning, the rules beside it load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-rule-dir-'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules', 'ok.yml'),
      ruleYaml('  sel:\n    message|contains: root\n  condition: sel'),
    );
    expect(spawnSync('mkfifo', [join(dir, 'rules', 'evil.yml')]).status).toBe(0);
    const run = validate(join(dir, 'rules'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('evil.yml:1:1: warning: not a regular file');
    expect(run.stderr).toMatch(/^1 rules active/m);
  }, 30_000);
});
