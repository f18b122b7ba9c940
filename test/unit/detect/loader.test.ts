import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/domain/rule';
import { loadRuleSet } from '../../../src/detect/engine';
import { compile, errorsOf, UUID } from './helpers';

const GOOD = `title: Good rule
id: ${UUID}
status: test
description: a rule that loads
level: high
tags:
  - attack.persistence
  - attack.t1098
falsepositives:
  - admins
logsource:
  product: linux
  service: syslog
detection:
  keywords:
    - 'evil'
  condition: keywords
`;

describe('YAML problems are located', () => {
  it('bad indentation gives file:line:col', () => {
    const text = `title: x\nid: ${UUID}\nlogsource:\n  product: linux\ndetection:\n  sel:\n    Image: a\n   CommandLine: b\n  condition: sel\n`;
    const errors = errorsOf(text, 'rules/bad-indent.yml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^rules\/bad-indent\.yml:8:\d+: error: YAML: .*BAD_INDENT/);
  });

  it('an unterminated quote is located', () => {
    const errors = errorsOf(`title: 'x\nid: ${UUID}\n`, 'q.yml');
    expect(errors.some((e) => /^q\.yml:\d+:\d+: error: YAML: .*quote/i.test(e))).toBe(true);
  });

  it('duplicate keys are errors', () => {
    expect(errorsOf(GOOD + 'level: low\n').join('\n')).toMatch(/DUPLICATE_KEY/);
  });

  it.each([
    ['!!js/function', `title: !!js/function 'function () { return 1 }'`, /tag !!js\/function refused/],
    ['a local !tag', `title: !evil x`, /tag !evil refused/],
    ['a tag on a mapping', `logsource: !!python/object {product: linux}`, /tag !!python\/object refused/],
  ])('custom tag %s is refused, located', (_what, line, message) => {
    const text =
      GOOD.replace(/^title: .*$/m, '').replace(/^logsource:[\s\S]*?detection:/m, 'detection:') + line + '\n';
    const set = compile(text.includes('logsource') ? text : text + 'logsource:\n  product: linux\n');
    const err = set.problems.find((p) => message.test(p.message));
    expect(err, JSON.stringify(set.problems)).toBeDefined();
    expect(err?.severity).toBe('error');
    expect(err?.line).toBeGreaterThan(1);
    expect(set.rules).toHaveLength(0);
  });

  it('core tags such as !!str are fine', () => {
    const set = compile(GOOD.replace("- 'evil'", '- !!str 4444'));
    expect(set.rules).toHaveLength(1);
  });

  it('a recursive alias does not hang or crash', () => {
    const set = compile(GOOD.replace("- 'evil'", '- &a [*a]'));
    expect(set.problems.some((p) => p.severity === 'error')).toBe(true);
  });

  it('alias bombs are refused', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const set = compile(GOOD + lines.join('\n') + '\n');
    expect(set.problems.some((p) => /more than 100 YAML aliases/.test(p.message))).toBe(true);
  });
});

describe('rule validation', () => {
  it('a good rule loads with its metadata', () => {
    const set = compile(GOOD, 'detections/good-rule.yml');
    expect(set.problems).toEqual([]);
    expect(set.rules[0]?.meta).toEqual({
      id: 'good-rule',
      uuid: UUID,
      title: 'Good rule',
      level: 'high',
      tags: ['attack.persistence', 'attack.t1098'],
      description: 'a rule that loads',
      falsepositives: ['admins'],
      file: 'detections/good-rule.yml',
    });
  });

  it.each([
    ['title', /missing required field "title"/],
    ['id', /missing required field "id"/],
    ['logsource', /missing required field "logsource"/],
    ['detection', /missing required field "detection"/],
  ])('missing %s is a located error', (field, message) => {
    const text = GOOD.replace(new RegExp(`^${field}:.*\\n(  .*\\n)*`, 'm'), '');
    const errors = errorsOf(text);
    expect(errors.join('\n')).toMatch(message);
    expect(errors[0]).toMatch(/^rules\/test-rule\.yml:1:1: error:/);
  });

  it.each([
    ['a missing condition', GOOD.replace('  condition: keywords\n', ''), /detection has no condition/, 14],
    ['an id that is not a UUID', GOOD.replace(UUID, 'not-a-uuid'), /id must be a UUID/, 2],
    ['an unknown level', GOOD.replace('level: high', 'level: severe'), /level must be one of/, 5],
    [
      'tags that are not a list',
      GOOD.replace(/tags:\n( {2}- .*\n)+/, 'tags: {a: b}\n'),
      /tags must be a list/,
      6,
    ],
    [
      'an empty logsource',
      GOOD.replace(/logsource:\n( {2}.*\n)+/, 'logsource: {}\n'),
      /must name a product/,
      11,
    ],
    ['a non-string title', GOOD.replace('title: Good rule', 'title: [a]'), /title must be a string/, 1],
    ['a Sigma v1 collection', GOOD + 'action: global\n', /rule collections/, 18],
    [
      'a regex with a backreference',
      GOOD.replace("keywords:\n    - 'evil'", "sel:\n    CommandLine|re: '(a)\\1'").replace(
        'condition: keywords',
        'condition: sel',
      ),
      /regex refused: .*backreferences/,
      16,
    ],
    [
      'a regex with lookahead',
      GOOD.replace("keywords:\n    - 'evil'", "sel:\n    CommandLine|re: 'a(?=b)'").replace(
        'condition: keywords',
        'condition: sel',
      ),
      /regex refused/,
      16,
    ],
    [
      'a regex with lookbehind',
      GOOD.replace("keywords:\n    - 'evil'", "sel:\n    CommandLine|re: '(?<!a)b'").replace(
        'condition: keywords',
        'condition: sel',
      ),
      /regex refused/,
      16,
    ],
  ])('%s is a located error', (_what, text, message, line) => {
    const set = compile(text);
    const err = set.problems.find((p) => p.severity === 'error');
    expect(err?.message).toMatch(message);
    expect(err?.line).toBe(line);
    expect(set.rules).toHaveLength(0);
  });

  it('a missing level is a warning and defaults to medium', () => {
    const set = compile(GOOD.replace('level: high\n', ''));
    expect(set.rules[0]?.meta.level).toBe('medium');
    expect(set.problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('an odd tag is a warning', () => {
    const set = compile(GOOD.replace('attack.t1098', 'T1098'));
    expect(set.rules).toHaveLength(1);
    expect(set.problems[0]).toMatchObject({ severity: 'warning', line: 8 });
  });
});

describe('multi-document files', () => {
  const two = `${GOOD}---\n${GOOD.replace(UUID, '1ac15ec3-d24f-4246-aa2a-3077bb1cf90e')}`;
  it('each document is a rule with id file#n', () => {
    const set = compile(two, 'dir/pair.yaml');
    expect(set.rules.map((r) => r.meta.id)).toEqual(['pair#1', 'pair#2']);
  });

  it('a broken document does not stop the others', () => {
    const broken = `${GOOD}---\ntitle: [unclosed\n---\n${GOOD.replace(UUID, '2ac15ec3-d24f-4246-aa2a-3077bb1cf90e')}`;
    const set = compile(broken, 'dir/three.yml');
    expect(set.rules.map((r) => r.meta.id)).toEqual(['three#1', 'three#3']);
    expect(set.problems.filter((p) => p.severity === 'error').length).toBeGreaterThan(0);
    // the unclosed flow sequence starts on line 19; YAML notices at its end
    expect([19, 20]).toContain(set.problems[0]?.line);
  });
});

describe('loadRuleSet', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tuxwatch-rules-'));
    await mkdir(path.join(dir, 'a'));
    await mkdir(path.join(dir, 'b'));
    await writeFile(path.join(dir, 'a', 'good.yml'), GOOD);
    await writeFile(path.join(dir, 'a', 'bad.yaml'), GOOD.replace('condition: keywords', 'condition: nope'));
    await writeFile(path.join(dir, 'a', 'notes.txt'), 'not a rule');
    await writeFile(
      path.join(dir, 'b', 'good.yml'),
      GOOD.replace(UUID, '3ac15ec3-d24f-4246-aa2a-3077bb1cf90e'),
    );
    await writeFile(path.join(dir, 'b', 'copy.yml'), GOOD);
    await writeFile(
      path.join(dir, 'b', 'windows.yml'),
      GOOD.replace(UUID, '4ac15ec3-d24f-4246-aa2a-3077bb1cf90e').replace(
        /product: linux\n {2}service: syslog/,
        'product: windows',
      ),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads what it can, and reports the rest located', async () => {
    const set = await loadRuleSet([dir, path.join(dir, 'missing')]);
    expect(set.rules.map((r) => r.meta.id)).toEqual(['good']);
    expect(set.inactive.map((r) => r.meta.id)).toEqual(['windows']);
    const text = set.problems.map(formatProblem);
    expect(text).toContainEqual(
      expect.stringMatching(/a\/bad\.yaml:\d+:\d+: error: condition: unknown search identifier "nope"/),
    );
    expect(text).toContainEqual(
      expect.stringMatching(/b\/good\.yml:1:1: error: rule id "good" .* already used/),
    );
    expect(text).toContainEqual(expect.stringMatching(/b\/copy\.yml:1:1: error: Sigma id .* already used/));
    expect(text).toContainEqual(expect.stringMatching(/missing:1:1: error: cannot read rules: ENOENT/));
    expect(text).toContainEqual(
      expect.stringMatching(
        /windows\.yml:\d+:\d+: note: rule inactive: logsource product windows: tuxwatch ingests Linux evidence only/,
      ),
    );
  });

  it('follows symlinked files and directories, and ends symlink loops', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tuxwatch-links-'));
    try {
      await mkdir(path.join(root, 'outside'));
      await mkdir(path.join(root, 'rules'));
      await writeFile(path.join(root, 'outside', 'target.yml'), GOOD);
      await symlink(path.join(root, 'outside', 'target.yml'), path.join(root, 'rules', 'linked.yml'));
      await symlink(path.join(root, 'rules'), path.join(root, 'rules', 'loop'));
      const set = await loadRuleSet([path.join(root, 'rules')]);
      expect(set.rules.map((r) => r.meta.id)).toEqual(['linked']);
      expect(set.problems).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
