import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import type { CompiledRule } from '../../../src/detect/compiled-rule';
import { DetectionEngine, loadRuleSet } from '../../../src/detect/engine';
import { LiteralScanner } from '../../../src/detect/literal-scanner';
import { GlobPattern } from '../../../src/detect/sigma/glob';
import { SigmaString } from '../../../src/detect/sigma/sigma-string';
import { compile, ruleYaml } from './helpers';

const SIGMA_LINUX = path.resolve(__dirname, '../../../../shared/sigma-linux/rules');

/** Rules written to stress the prefilter: non-ASCII, `?`, cased, NOT, numbers, null, keywords, base64. */
const SYNTHETIC = [
  `  sel:\n    CommandLine|contains: 'ΣΟΦΙΑ'\n  condition: sel`,
  `  sel:\n    CommandLine|contains|cased: 'İstanbul'\n  condition: sel`,
  `  sel:\n    CommandLine|cased: 'CURL*Bash'\n  condition: sel`,
  `  sel:\n    Image: '/b?n/*s?'\n  condition: sel`,
  `  sel:\n    Image|endswith: '/nc'\n  filter:\n    CommandLine|contains: 'localhost'\n  condition: sel and not filter`,
  `  sel:\n    CommandLine|contains: 'wget'\n  condition: not sel`,
  `  a:\n    CommandLine|contains: 'curl'\n  b:\n    Image|endswith: 'sh'\n  condition: a or b`,
  `  a:\n    CommandLine|contains: 'curl'\n  b:\n    DestinationPort: 4444\n  condition: a or b`,
  `  sel:\n    DestinationPort: 4444\n    Image|endswith: '/bash'\n  condition: sel`,
  `  sel:\n    CommandLine: null\n    Image|contains: 'tmp'\n  condition: sel`,
  `  keywords:\n    - 'new user'\n    - 'UID=0*GID'\n  condition: keywords`,
  `  sel:\n    CommandLine|base64offset|contains: 'http'\n  condition: sel`,
  `  sel:\n    CommandLine|windash|contains: ' -e '\n  condition: sel`,
  `  sel:\n    CommandLine|contains|all:\n      - 'curl'\n      - 'Bash'\n  condition: sel`,
  `  sel:\n    CommandLine|re: 'cu?rl'\n  condition: sel`,
  `  sel:\n    event.category: process\n  condition: sel`,
  `  sel:\n    - CommandLine|startswith: 'sh'\n    - Image: '*'\n  condition: sel`,
  `  sel:\n    CommandLine|contains: 'ǅ'\n  condition: sel`,
  `  sel:\n    CommandLine|contains|cased: 'CURL'\n  condition: sel`,
  `  kw:\n    '|cased':\n      - 'UID=0'\n  condition: kw`,
];
const LOGSOURCES = [
  'product: linux\n  service: syslog',
  'product: linux\n  category: process_creation',
  'product: linux\n  category: file_event',
  'product: linux\n  category: network_connection',
];

function quotedStrings(dir: string, out: Set<string>): void {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) quotedStrings(full, out);
    else
      for (const m of readFileSync(full, 'utf8').matchAll(/'([^'\n]{1,60})'/g))
        out.add(m[1]!.replace(/\*/g, ''));
  }
}

const FIELDS = [
  'message',
  'event.original',
  'process.command_line',
  'process.executable',
  'process.parent.executable',
  'process.parent.command_line',
  'process.name',
  'file.path',
  'destination.domain',
  'destination.ip',
  'destination.port',
  'user.name',
  'event.action',
  'event.category',
  'network.direction',
];
const DATASETS = ['syslog', 'auth', 'file_integrity', 'socket', 'process', 'other'];
const PROGRAMS = ['sshd', 'sudo', 'CRON', 'clamd', 'guacd', 'vsftpd', 'useradd', 'su'];

describe('the rule index never hides a match', () => {
  let rules: CompiledRule[];
  let fragments: string[];
  beforeAll(async () => {
    const set = await loadRuleSet([SIGMA_LINUX]);
    const synthetic = SYNTHETIC.flatMap((d, i) =>
      LOGSOURCES.map(
        (ls, j) =>
          compile(
            ruleYaml(d, ls).replace(
              /^id: .*$/m,
              `id: 00000000-0000-4000-8000-${String(i * 10 + j).padStart(12, '0')}`,
            ),
            `synthetic/s${i}-${j}.yml`,
          ).rules,
      ).flat(),
    );
    rules = [...set.rules, ...synthetic];
    const found = new Set<string>();
    quotedStrings(SIGMA_LINUX, found);
    fragments = [
      ...found,
      'ΣΟΦΙΑ',
      'σοφια',
      'İstanbul',
      'i̇stanbul',
      'CURLxBash',
      '/bin/ash',
      'aHR0c',
      'ǅ',
      'ǆ',
      'Ǆ',
      '/nc',
      '4444',
      'localhost',
      'tmp',
    ];
  });

  const arbEvent = (): fc.Arbitrary<SiemEvent> => {
    const fragment = fc.oneof(
      fc.constantFrom(...fragments),
      fc.constantFrom(...fragments).map((s) => s.toUpperCase()),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const text = fc.array(fragment, { minLength: 0, maxLength: 4 }).map((parts) => parts.join(''));
    const value = fc.oneof(
      { weight: 6, arbitrary: text },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 70000 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('4444', 4444, 'outbound', 'socket-connected', '8.8.8.8', '10.0.0.1'),
      },
      { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    return fc
      .record({
        dataset: fc.constantFrom(...DATASETS),
        program: fc.constantFrom(...PROGRAMS),
        fields: fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 8 }),
      })
      .map(({ dataset, program, fields }) => {
        const e: Record<string, unknown> = { '@timestamp': '2026-01-01T00:00:00.000Z', 'event.original': '' };
        e['event.dataset'] = dataset;
        e['process.name'] = program;
        Object.assign(e, fields);
        if (typeof e['event.original'] !== 'string') e['event.original'] = '';
        return e as SiemEvent;
      });
  };

  it('indexed engine and naive evaluation agree on random events', () => {
    const engine = new DetectionEngine(rules);
    let matched = 0;
    fc.assert(
      fc.property(arbEvent(), (e) => {
        const indexed = engine.evaluate(e).map((d) => d.rule.id);
        const naive = rules.filter((r) => r.match(e)).map((r) => r.meta.id);
        matched += naive.length;
        expect(indexed).toEqual(naive);
      }),
      { numRuns: 2000, seed: 20261126 },
    );
    // the property is only worth something if the events do match rules
    expect(matched).toBeGreaterThan(50);
  }, 60_000);

  it('and also with fresh seeds', () => {
    const engine = new DetectionEngine(rules);
    fc.assert(
      fc.property(arbEvent(), (e) => {
        expect(engine.evaluate(e).map((d) => d.rule.id)).toEqual(
          rules.filter((r) => r.match(e)).map((r) => r.meta.id),
        );
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('prefilters most rules', () => {
    const stats = new DetectionEngine(rules).indexStats();
    expect(stats.prefiltered / stats.rules).toBeGreaterThan(0.8);
  });
});

describe('LiteralScanner', () => {
  it('marks exactly the targets whose literal occurs', () => {
    const ascii = fc.string({
      unit: fc.constantFrom('a', 'b', 'c', '/', ' ', 'A'),
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        fc.array(
          ascii.map((s) => s.toLowerCase()),
          { minLength: 1, maxLength: 12 },
        ),
        fc.string({ maxLength: 40 }),
        (literals, text) => {
          const lowered = text.toLowerCase();
          const scanner = new LiteralScanner(
            literals,
            literals.map((_, i) => i),
          );
          const stamp = new Int32Array(literals.length);
          scanner.scan(lowered, stamp, 7);
          literals.forEach((lit, i) =>
            expect(stamp[i] === 7, `${lit} in ${lowered}`).toBe(lowered.includes(lit)),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('GlobPattern', () => {
  /** oracle: a JS RegExp built from the pattern by the test (never from rule text in the engine) */
  const oracle = (pattern: string, lower: boolean): RegExp => {
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      const next = pattern[i + 1];
      if (c === '\\' && next !== undefined && '*?\\'.includes(next)) {
        re += `\\${next}`;
        i++;
      } else if (c === '*') re += '[\\s\\S]*';
      else if (c === '?') re += '[\\s\\S]';
      else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(`^${re}$`, lower ? 'i' : '');
  };
  it('agrees with a regex oracle on ASCII', () => {
    const unit = fc.constantFrom('a', 'b', '*', '?', '\\', '/');
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'A', '/', '*', '?', '\\'), maxLength: 10 }),
        fc.boolean(),
        (pattern, value, lower) => {
          const glob = GlobPattern.compile(SigmaString.parse(pattern), lower);
          const v = lower ? value.toLowerCase() : value;
          expect(glob.test(v), `${pattern} ~ ${value}`).toBe(oracle(pattern, lower).test(value));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
