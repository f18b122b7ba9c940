import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../../src/detect/engine';
import { ParsedRuleCache } from '../../../src/detect/load/parsed-rule-cache';
import { listRuleFiles, readRuleText } from '../../../src/detect/load/rule-reader';
import { ruleYaml } from './helpers';

const BUNDLED = resolve(__dirname, '..', '..', '..', 'detections');

async function bundledCache(): Promise<ParsedRuleCache> {
  const { files } = await listRuleFiles([BUNDLED]);
  const parsed = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8');
      return { text, result: readRuleText(file, text) };
    }),
  );
  return ParsedRuleCache.fromJson(ParsedRuleCache.serialize(parsed));
}

describe('parsed rule cache (the build parses the bundled rules once)', () => {
  it('loads the bundled rules exactly as parsing them does: rules, correlations, problems', async () => {
    const parsed = await bundledCache();
    const fresh = await loadRuleSet([BUNDLED]);
    const cached = await loadRuleSet([BUNDLED], { parsed });
    expect(cached.rules.length).toBeGreaterThan(20);
    expect(cached.rules.map((r) => r.meta)).toEqual(fresh.rules.map((r) => r.meta));
    expect(cached.inactive.map((r) => r.meta)).toEqual(fresh.inactive.map((r) => r.meta));
    expect(cached.correlations.map((c) => c.meta)).toEqual(fresh.correlations.map((c) => c.meta));
    expect(cached.problems).toEqual(fresh.problems);
  });

  it('gives a hit the file name it is read under, with its problems', () => {
    const text = ruleYaml("  sel:\n    message|contains: 'x'\n  condition: sel\n  condition: sel");
    const result = readRuleText('a.yml', text);
    expect(result.problems.length).toBeGreaterThan(0);
    const cache = ParsedRuleCache.fromJson(ParsedRuleCache.serialize([{ text, result }]));
    expect(cache.get('other/b.yml', text)).toEqual(readRuleText('other/b.yml', text));
  });

  it('parses a changed file again: one byte more is a miss', () => {
    const text = ruleYaml("  sel:\n    message|contains: 'x'\n  condition: sel");
    const cache = ParsedRuleCache.fromJson(
      ParsedRuleCache.serialize([{ text, result: readRuleText('a.yml', text) }]),
    );
    expect(cache.get('a.yml', text)).toBeDefined();
    expect(cache.get('a.yml', text + ' ')).toBeUndefined();
  });

  it('leaves out a file whose values JSON cannot carry exactly (-0 would come back as 0)', () => {
    const text = ruleYaml('  sel:\n    count: -0\n  condition: sel');
    const cache = ParsedRuleCache.fromJson(
      ParsedRuleCache.serialize([{ text, result: readRuleText('a.yml', text) }]),
    );
    expect(cache.get('a.yml', text)).toBeUndefined();
  });

  it('is empty, not an error, for a file that is not a cache of this format', () => {
    const text = ruleYaml("  sel:\n    message|contains: 'x'\n  condition: sel");
    for (const json of ['', 'not json', '{"format":"tuxwatch-parsed-rules-0","files":{}}'])
      expect(ParsedRuleCache.fromJson(json).get('a.yml', text)).toBeUndefined();
  });
});
