import type { SigmaRule } from './compiled-rule';
import { LiteralScanner } from './literal-scanner';
import type { LiteralNeed } from './sigma/requirement';

/** The rules of one `event.dataset`, and the literal scanners that decide which of them an event can meet. */
export interface Bucket {
  /** indices into the index's rules, ascending (detections come out in rule order) */
  readonly rules: Int32Array;
  /** by rule index: 1 when the rule has no literal prefilter and must always be evaluated */
  readonly always: Uint8Array;
  /** one scanner per field some prefilter looks at */
  readonly scanners: readonly { readonly slot: number; readonly scanner: LiteralScanner }[];
}

export interface IndexStats {
  readonly rules: number;
  /** rules skipped unless one of their literals occurs in the event */
  readonly prefiltered: number;
  readonly buckets: Readonly<Record<string, { rules: number; prefiltered: number; scannedFields: number }>>;
}

/**
 * Rules bucketed by the datasets their logsource selects (as Falco buckets by event type), and within a
 * bucket prefiltered by literals: a rule whose detection needs one of a set of literals (requirement.ts) is
 * only evaluated when a scanner found one of them in the event. A prefilter can only skip a rule that could
 * not have matched; it never decides a match.
 */
export class RuleIndex {
  private readonly buckets = new Map<string, Bucket>();
  private readonly prefilters: (readonly LiteralNeed[] | null)[];

  constructor(readonly rules: readonly SigmaRule[]) {
    this.prefilters = rules.map((r) => (r.active ? r.detection.requirement() : null));
    const members = new Map<string, number[]>();
    rules.forEach((rule, i) => {
      for (const d of rule.datasets) {
        const list = members.get(d) ?? [];
        list.push(i);
        members.set(d, list);
      }
    });
    for (const [dataset, list] of members) this.buckets.set(dataset, this.buildBucket(list));
  }

  bucket(dataset: string): Bucket | undefined {
    return this.buckets.get(dataset);
  }

  prefilterOf(ruleIndex: number): readonly LiteralNeed[] | null {
    return this.prefilters[ruleIndex] ?? null;
  }

  stats(): IndexStats {
    const buckets: Record<string, { rules: number; prefiltered: number; scannedFields: number }> = {};
    for (const [d, b] of this.buckets) {
      let prefiltered = 0;
      for (const i of b.rules) if (b.always[i] === 0) prefiltered++;
      buckets[d] = { rules: b.rules.length, prefiltered, scannedFields: b.scanners.length };
    }
    return {
      rules: this.rules.length,
      prefiltered: this.prefilters.filter((p) => p !== null).length,
      buckets,
    };
  }

  private buildBucket(ruleIndices: readonly number[]): Bucket {
    const always = new Uint8Array(this.rules.length);
    const bySlot = new Map<number, { literals: string[]; targets: number[] }>();
    for (const i of ruleIndices) {
      const needs = this.prefilters[i];
      if (needs === null || needs === undefined) {
        always[i] = 1;
        continue;
      }
      for (const need of needs) {
        const entry = bySlot.get(need.slot) ?? { literals: [], targets: [] };
        entry.literals.push(need.literal);
        entry.targets.push(i);
        bySlot.set(need.slot, entry);
      }
    }
    const scanners = [...bySlot].map(([slot, e]) => ({
      slot,
      scanner: new LiteralScanner(e.literals, e.targets),
    }));
    return { rules: Int32Array.from(ruleIndices), always, scanners };
  }
}
