import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../../src/domain/rule';
import { compile, event } from './helpers';

const DOC = readFileSync(path.resolve(__dirname, '../../../docs/rules.md'), 'utf8');
const yamlBlocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/rules.md', () => {
  it('its example rule loads cleanly and does what it says', () => {
    const example = yamlBlocks.find((b) => b.startsWith('title: New account with UID 0'))!;
    const set = compile(example, 'detections/new-uid0-account.yml');
    expect(set.problems.map(formatProblem)).toEqual([]);
    const r = set.rules[0]!;
    expect(r.meta.id).toBe('new-uid0-account');
    expect(r.tests).toHaveLength(2);
    const message = 'new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash';
    expect(r.match(event({ 'event.dataset': 'auth', message }))).toBe(true);
  });

  it('its correlation example loads next to the rule it counts', () => {
    const correlation = yamlBlocks.find((b) => b.startsWith('title: SSH brute force'))!;
    const base = `title: failed\nid: 9c0d0b9e-6a8f-4d51-9f0e-1f2a3b4c5d6e\nname: ssh_failed_login\nlevel: low\nlogsource:\n  service: auth\ndetection:\n  sel:\n    event.outcome: failure\n  condition: sel\n`;
    const set = compile(`${base}---\n${correlation}`, 'detections/ssh-brute-force.yml');
    expect(set.problems.map(formatProblem)).toEqual([]);
    expect(set.correlations).toHaveLength(1);
  });
});
