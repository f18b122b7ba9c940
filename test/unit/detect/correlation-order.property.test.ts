import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { InMemoryCorrelationState } from '../../../src/detect/correlation/correlation-state';
import { DetectionEngine } from '../../../src/detect/engine';
import { compile } from './helpers';

/**
 * temporal_ordered is decided from the new entry's neighbours, not by scanning the window (correlator.ts
 * completesSequence). This checks it against the plain definition over arbitrary arrival orders: windows
 * in time order (entries of one time in arrival order), the oldest forgotten past the timespan or the
 * entry limit, and a window firing when its rules appear in order, then starting over.
 */

const STEPS = ['a', 'b', 'c'] as const;
type Step = (typeof STEPS)[number];

const base = (step: Step, n: number): string => `title: step ${step}
id: 00000000-0000-4000-8000-00000000000${n}
name: step_${step}
level: low
logsource:
  product: linux
  service: auth
detection:
  sel:
    event.action: step-${step}
  condition: sel
`;

const ordered = (name: string, n: number, rules: readonly Step[]): string => `---
title: ${name}
id: 00000000-0000-4000-8000-0000000000${n}
name: ${name}
level: high
correlation:
  type: temporal_ordered
  rules: [${rules.map((r) => `step_${r}`).join(', ')}]
  group-by: [source.ip]
  timespan: 20s
`;

const RULES = base('a', 1) + '---\n' + base('b', 2) + '---\n' + base('c', 3);
const PAIR = ordered('pair', 11, ['a', 'b']);
const TRIPLE = ordered('triple', 12, ['a', 'b', 'c']);
/** windows this small lose entries to the limit as well as to the timespan */
const MAX_ENTRIES = 8;

interface Arrival {
  readonly step: Step;
  readonly second: number;
  readonly ip: number;
}

/**
 * A 20 s window by the definition, the same for every correlation type: `entry` put after every entry of its
 * time or earlier, entries older than the timespan before it dropped, and over the cap the oldest an eighth
 * of it at once (correlation-state.ts cutOver). Returns the group's window.
 */
function keep<E extends { readonly time: number }>(windows: Map<string, E[]>, group: string, entry: E): E[] {
  const window = windows.get(group) ?? [];
  windows.set(group, window);
  let at = window.length;
  while (at > 0 && window[at - 1]!.time > entry.time) at--;
  window.splice(at, 0, entry);
  while (window.length > 0 && window[0]!.time < entry.time - 20_000) window.shift();
  if (window.length > MAX_ENTRIES) window.splice(0, window.length - MAX_ENTRIES + (MAX_ENTRIES >> 3));
  return window;
}

/** The definition, window by window: what fires at each arrival. */
class Reference {
  private readonly windows = new Map<string, { time: number; rule: number }[]>();

  constructor(
    private readonly name: string,
    private readonly rules: readonly Step[],
  ) {}

  observe({ step, second, ip }: Arrival): string[] {
    const rule = this.rules.indexOf(step);
    if (rule < 0) return [];
    const window = keep(this.windows, String(ip), { time: second * 1000, rule });
    let next = 0;
    for (const e of window) if (e.rule === next) next++;
    if (next < this.rules.length) return [];
    this.windows.delete(String(ip));
    return [this.name];
  }
}

const arrival = fc.record({
  step: fc.constantFrom(...STEPS),
  // mostly forward, with late arrivals and many of one second
  second: fc.nat({ max: 90 }),
  ip: fc.constantFrom(1, 2),
});

function engineFor(text: string): DetectionEngine {
  const set = compile(RULES + text, 'rules/order.yml');
  expect(set.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return new DetectionEngine(set.rules, {
    correlations: set.correlations,
    correlationState: new InMemoryCorrelationState({ limits: { maxEntries: MAX_ENTRIES } }),
  });
}

function event({ step, second, ip }: Arrival): SiemEvent {
  return {
    '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    'event.original': `step ${step}`,
    'event.dataset': 'auth',
    'event.action': `step-${step}`,
    'host.name': 'web01',
    'source.ip': `192.0.2.${ip}`,
  };
}

const SPREAD = `---
title: spread
id: 00000000-0000-4000-8000-000000000013
name: spread
level: high
correlation:
  type: value_count
  rules: [step_a]
  group-by: [source.ip]
  timespan: 20s
  condition:
    gte: 3
    field: user.name
`;

/** value_count by the definition: the distinct values of the window kept as above, at each arrival. */
class SpreadReference {
  private readonly windows = new Map<string, { time: number; user: string }[]>();

  observe({ step, second, ip, user }: Arrival & { user: string }): string[] {
    if (step !== 'a') return [];
    const window = keep(this.windows, String(ip), { time: second * 1000, user });
    if (new Set(window.map((e) => e.user)).size < 3) return [];
    this.windows.delete(String(ip));
    return ['spread'];
  }
}

// the distinct values are followed as entries come and go, late ones included (correlator.ts ValueTally)
describe('value_count followed entry by entry, as the definition counts it', () => {
  it('the same alerts at the same arrivals, in any arrival order', () => {
    const withUser = fc.record({
      step: fc.constantFrom(...STEPS),
      second: fc.nat({ max: 90 }),
      ip: fc.constantFrom(1, 2),
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
    });
    fc.assert(
      fc.property(fc.array(withUser, { maxLength: 120 }), (arrivals) => {
        const engine = engineFor(SPREAD);
        const reference = new SpreadReference();
        for (const a of arrivals) {
          const fired = engine
            .evaluate({ ...event(a), 'user.name': a.user })
            .filter((d) => d.rule.level === 'high')
            .map((d) => d.rule.title);
          expect(fired).toEqual(reference.observe(a));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('temporal_ordered decided from the new entry, as the definition decides it', () => {
  for (const [name, text, rules] of [
    ['pair', PAIR, ['a', 'b']],
    ['triple', TRIPLE, ['a', 'b', 'c']],
  ] as const) {
    it(`${name}: the same alerts at the same arrivals, in any arrival order`, () => {
      fc.assert(
        fc.property(fc.array(arrival, { maxLength: 120 }), (arrivals) => {
          const engine = engineFor(text);
          const reference = new Reference(name, rules);
          for (const a of arrivals) {
            const fired = engine
              .evaluate(event(a))
              .filter((d) => d.rule.level === 'high')
              .map((d) => d.rule.title);
            expect(fired).toEqual(reference.observe(a));
          }
        }),
        { numRuns: 300 },
      );
    });
  }

  it('a restored window is scanned before it is followed: one already holding the pair fires at its last step', () => {
    const set = compile(RULES + PAIR, 'rules/order.yml');
    const state = new InMemoryCorrelationState();
    // written elsewhere, out of time order: a success (b) at 5 s, a failure (a) at 2 s
    const key = `${set.correlations[0]!.meta.id}\u0000["192.0.2.1"]`;
    const windows = [
      [
        key,
        [
          { time: Date.UTC(2026, 0, 1, 0, 0, 5), rule: 1 },
          { time: Date.UTC(2026, 0, 1, 0, 0, 2), rule: 0 },
        ],
      ],
    ];
    state.restore('web01', JSON.stringify({ v: 1, host: 'web01', windows }));
    // restored in time order: a then b, a pair that never fired
    expect(JSON.parse(state.snapshot('web01')!).windows[0][1].map((e: { rule: number }) => e.rule)).toEqual([
      0, 1,
    ]);
    const engine = new DetectionEngine(set.rules, {
      correlations: set.correlations,
      correlationState: state,
    });
    const high = (a: Arrival) => engine.evaluate(event(a)).filter((d) => d.rule.level === 'high');
    expect(high({ step: 'a', second: 6, ip: 1 })).toEqual([]);
    expect(high({ step: 'b', second: 7, ip: 1 }).map((d) => d.relatedCount)).toEqual([4]);
  });
});
