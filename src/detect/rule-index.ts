import type { SigmaRule } from './compiled-rule';
import { LiteralScanner } from './literal-scanner';
import type { EventView } from './sigma/event-view';
import type { LiteralNeed } from './sigma/requirement';

/** The rules of one `event.dataset`, and the literal scanners that decide which of them an event can meet. */
export interface Bucket {
  /** indices into the index's rules, ascending (detections come out in rule order) */
  readonly rules: Int32Array;
  /** by rule index: 1 when the rule has no literal prefilter and must always be evaluated */
  readonly always: Uint8Array;
  /** one scanner per field some prefilter looks at */
  readonly scanners: readonly FieldScanner[];
}

/**
 * The literal scanner of one field, remembering which targets it found in each short text it met. Most fields
 * prefilters look at take a handful of values (event.action, event.outcome, event.module): looking a value up
 * costs less than lowercasing and scanning it again on every event. Long texts (messages, command lines)
 * are scanned every time, and the memory is bounded.
 */
export class FieldScanner {
  private readonly found = new Map<string, Int32Array>();
  /** scratch for collecting one text's targets: all zero between calls */
  private readonly marks: Int32Array;

  constructor(
    readonly slot: number,
    private readonly scanner: LiteralScanner,
    targets: number,
  ) {
    this.marks = new Int32Array(targets);
  }

  /** Marks `stamp[target] = gen` for every target with a literal in the event's field (case is ignored). */
  mark(view: EventView, stamp: Int32Array, gen: number): void {
    const text = view.text(this.slot);
    if (text === null) return;
    if (typeof text === 'string') {
      if (text.length <= REMEMBERED_LENGTH) this.markRemembered(text, stamp, gen);
      else this.scanner.scan(view.lower(this.slot) as string, stamp, gen);
      return;
    }
    let lower: readonly string[] | undefined;
    for (let k = 0; k < text.length; k++) {
      const t = text[k]!;
      if (t.length <= REMEMBERED_LENGTH) this.markRemembered(t, stamp, gen);
      else {
        lower ??= view.lower(this.slot) as readonly string[];
        this.scanner.scan(lower[k]!, stamp, gen);
      }
    }
  }

  private markRemembered(text: string, stamp: Int32Array, gen: number): void {
    let targets = this.found.get(text);
    if (targets === undefined) {
      targets = this.targetsIn(text);
      if (this.found.size >= REMEMBERED_TEXTS) this.found.clear();
      this.found.set(text, targets);
    }
    for (let k = 0; k < targets.length; k++) stamp[targets[k]!] = gen;
  }

  private targetsIn(text: string): Int32Array {
    const marks = this.marks;
    this.scanner.scan(text.toLowerCase(), marks, 1);
    const targets: number[] = [];
    for (let i = 0; i < marks.length; i++)
      if (marks[i] === 1) {
        targets.push(i);
        marks[i] = 0;
      }
    return Int32Array.from(targets);
  }
}

const REMEMBERED_LENGTH = 64;
const REMEMBERED_TEXTS = 4096;

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
    const scanners = [...bySlot].map(
      ([slot, e]) => new FieldScanner(slot, new LiteralScanner(e.literals, e.targets), this.rules.length),
    );
    return { rules: Int32Array.from(ruleIndices), always, scanners };
  }
}
