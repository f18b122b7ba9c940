import { describe, expect, it } from 'vitest';
import { parseCondition, type ConditionAst } from '../../../src/detect/sigma/condition';
import { compile, event, rule, ruleYaml } from './helpers';

/** A compact rendering of the tree, to check precedence. */
function show(a: ConditionAst): string {
  switch (a.type) {
    case 'and':
    case 'or':
      return `(${show(a.left)} ${a.type} ${show(a.right)})`;
    case 'not':
      return `(not ${show(a.operand)})`;
    case 'ref':
      return a.name;
    case 'of':
      return `${a.quantity}-of:${a.target}`;
  }
}

function parsed(text: string): string {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(r.error.message);
  return show(r.ast);
}

describe('condition grammar', () => {
  it.each([
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['not a and b', '((not a) and b)'],
    ['not a or not b', '((not a) or (not b))'],
    ['not not a', '(not (not a))'],
    ['a and not (b or c)', '(a and (not (b or c)))'],
    ['(a or b) and c', '((a or b) and c)'],
    ['a or b or c', '((a or b) or c)'],
    ['1 of sel_*', 'any-of:sel_*'],
    ['any of sel_*', 'any-of:sel_*'],
    ['all of them', 'all-of:them'],
    ['1 of them and not 1 of filter_*', '(any-of:them and (not any-of:filter_*))'],
    [
      'selection and not 1 of filter_main_* and not 1 of filter_optional_*',
      '((selection and (not any-of:filter_main_*)) and (not any-of:filter_optional_*))',
    ],
    ['A AND NOT b', '(A and (not b))'],
    ['  a\tand\n b ', '(a and b)'],
    ['((a))', 'a'],
  ])('%s', (text, tree) => {
    expect(parsed(text)).toBe(tree);
  });

  it.each([
    ['', 0, /empty condition/],
    ['a and', 5, /ends where an identifier/],
    ['a b', 2, /expected "and", "or" or the end, found "b"/],
    ['(a or b', 0, /never closed/],
    ['a or b)', 6, /unbalanced "\)"/],
    ['and a', 0, /unexpected "and"/],
    ['2 of sel_*', 0, /"2 of" is not Sigma/],
    ['1 of', 4, /needs "them" or an identifier pattern/],
    ['sel_*', 0, /needs "1 of" or "all of"/],
    ['selection | count() > 5', 10, /aggregations/],
    ['a and not', 9, /ends where an identifier/],
  ])('%j is an error at offset %i', (text, offset, message) => {
    const r = parseCondition(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.offset).toBe(offset);
      expect(r.error.message).toMatch(message);
    }
  });
});

describe('conditions over selections', () => {
  const detection = [
    '  sel_a:',
    "    CommandLine|contains: 'aaa'",
    '  sel_b:',
    "    CommandLine|contains: 'bbb'",
    '  filter_c:',
    "    CommandLine|contains: 'ccc'",
    '  _hidden:',
    "    CommandLine|contains: 'zzz'",
  ].join('\n');
  const cases: [string, string, boolean][] = [
    ['1 of sel_*', 'x bbb', true],
    ['all of sel_*', 'x bbb', false],
    ['all of sel_*', 'aaa bbb', true],
    ['1 of them', 'ccc', true],
    ['1 of them', 'zzz', false],
    ['all of them', 'aaa bbb ccc', true],
    ['_hidden', 'zzz', true],
    ['sel_a or sel_b and filter_c', 'aaa', true],
    ['(sel_a or sel_b) and filter_c', 'aaa', false],
    ['sel_a and not filter_c', 'aaa ccc', false],
    ['not sel_a and not sel_b', 'ccc', true],
  ];
  it.each(cases)('%s on %j', (condition, commandLine, expected) => {
    const r = rule(`${detection}\n  condition: ${condition}`);
    expect(r.matchesDetection(event({ 'process.command_line': commandLine }))).toBe(expected);
  });

  it('a list of conditions means any of them', () => {
    const r = rule(`${detection}\n  condition:\n    - sel_a\n    - sel_b`);
    expect(r.matchesDetection(event({ 'process.command_line': 'bbb' }))).toBe(true);
  });

  it('errors point into the condition text', () => {
    const set = compile(ruleYaml(`  sel:\n    Image: x\n  condition: sel and nope`));
    const err = set.problems.find((p) => p.severity === 'error');
    // line 10: "  condition: sel and nope" — "nope" starts at column 22
    expect(err).toMatchObject({ line: 10, col: 22 });
    expect(err?.message).toMatch(/unknown search identifier "nope"/);
  });

  it('quoted conditions are located past the quote', () => {
    const set = compile(ruleYaml(`  sel:\n    Image: x\n  condition: 'sel and ( or'`));
    const err = set.problems.find((p) => p.severity === 'error');
    // the quote is column 14, so offset 10 ("or") is column 25
    expect(err).toMatchObject({ line: 10, col: 25 });
    expect(err?.message).toMatch(/unexpected "or"/);
  });

  it('an "of" pattern that matches nothing is an error', () => {
    const set = compile(ruleYaml(`  sel:\n    Image: x\n  condition: 1 of filter_*`));
    expect(set.problems.find((p) => p.severity === 'error')?.message).toMatch(/matches no search identifier/);
  });

  it('an unused search identifier is a warning, not an error', () => {
    const set = compile(ruleYaml(`  sel:\n    Image: x\n  other:\n    Image: y\n  condition: sel`));
    expect(set.rules).toHaveLength(1);
    expect(set.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 10, col: 3 })]);
  });
});
