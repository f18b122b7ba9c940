import { describe, expect, it } from 'vitest';
import { DEFAULT_RENEW_AFTER_MS } from '../../../src/detect/load/finding-identity';
import { compile, errorsOf, ruleYaml } from './helpers';

const withFinding = (block: string): string =>
  ruleYaml('  sel:\n    event.action: x\n  condition: sel') + block;

describe("a rule's finding block (its finding identity)", () => {
  it('reads entries of one field or of alternatives, and renew-after', () => {
    const set = compile(
      withFinding(
        'finding:\n  identity:\n    - [user.target.name, user.name]\n    - group.name\n  renew-after: 30d\n',
      ),
    );
    expect(set.rules[0]!.meta.finding).toEqual({
      entities: [['user.target.name', 'user.name'], ['group.name']],
      renewAfterMs: 30 * 86_400_000,
    });
  });

  it('renews after a week unless told', () => {
    const set = compile(withFinding('finding:\n  identity: [file.path]\n'));
    expect(set.rules[0]!.meta.finding?.renewAfterMs).toBe(DEFAULT_RENEW_AFTER_MS);
  });

  it.each([
    ['not a mapping', 'finding: file.path\n', /finding must be a mapping/],
    ['no identity', 'finding:\n  renew-after: 7d\n', /finding needs an identity/],
    ['an empty identity', 'finding:\n  identity: []\n', /identity must be a non-empty list/],
    ['a number for a field', 'finding:\n  identity: [7]\n', /field name or a list of them, not a number/],
    ['a field with a space', 'finding:\n  identity: ["file path"]\n', /not "file path"/],
    [
      'a duration without unit',
      'finding:\n  identity: [file.path]\n  renew-after: soon\n',
      /renew-after is a number and a unit/,
    ],
    // hostile rules: a key hashed over thousands of fields, an entity that never renews
    [
      'seventeen entities',
      `finding:\n  identity: [${Array.from({ length: 17 }, (_, i) => `f${i}.x`).join(', ')}]\n`,
      /identity names at most 16 entities, not 17/,
    ],
    [
      'a renewal past a year',
      'finding:\n  identity: [file.path]\n  renew-after: 99999999999999d\n',
      /renew-after longer than 364d/,
    ],
  ])('refuses %s, located', (_what, block, message) => {
    const errors = errorsOf(withFinding(block));
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/^rules\/test-rule\.yml:\d+:\d+: error: /);
    expect(errors[0]).toMatch(message);
  });

  it('warns about a key it does not know', () => {
    const set = compile(withFinding('finding:\n  identity: [file.path]\n  window: 1d\n'));
    expect(set.problems.map((p) => p.message)).toContain('unknown finding key "window" ignored');
  });
});
