import type { Detector } from '../domain/alert';
import type { SiemEvent } from '../domain/event';
import type { Detection } from '../domain/rule';
import { SigmaRule, type CompiledRule } from './compiled-rule';
import type { CompiledCorrelation } from './correlation/correlation-compiler';
import { InMemoryCorrelationState, type CorrelationState } from './correlation/correlation-state';
import { Correlator } from './correlation/correlator';
import { RuleIndex } from './rule-index';
import { EventView } from './sigma/event-view';
import { ecsSlot } from './sigma/field-map';

export { loadRuleSet, compileRuleText, type RuleSet } from './load/rule-set';

export interface EngineOptions {
  /** correlation rules over `rules` (from `loadRuleSet`) */
  readonly correlations?: readonly CompiledCorrelation[];
  /** where correlation windows live; default: in memory */
  readonly correlationState?: CorrelationState;
}

const DATASET_SLOT = ecsSlot('event.dataset');
const NO_EVENT: SiemEvent = { '@timestamp': '1970-01-01T00:00:00.000Z', 'event.original': '' };

/**
 * Runs compiled rules over events. An event meets only the rules of its dataset, and of those only the ones
 * whose literal prefilter it passes (rule-index.ts); each field is converted and lowercased once per event.
 * Not re-entrant: one engine evaluates one event at a time (the pipeline is synchronous per event).
 */
export class DetectionEngine implements Detector {
  readonly rules: readonly CompiledRule[];
  private readonly index: RuleIndex;
  /** rules of another CompiledRule implementation: evaluated on every event, unindexed */
  private readonly foreign: readonly CompiledRule[];
  private readonly view = new EventView(NO_EVENT);
  private stamp: Int32Array;
  private gen = 0;
  private readonly correlator: Correlator | null;
  /** the file of the event being evaluated, if any */
  private file: string | undefined;

  constructor(rules: CompiledRule[], options: EngineOptions = {}) {
    this.rules = rules;
    const own = rules.filter((r): r is SigmaRule => r instanceof SigmaRule && r.active);
    this.foreign = rules.filter((r) => !(r instanceof SigmaRule));
    this.index = new RuleIndex(own);
    this.stamp = new Int32Array(own.length);
    const correlations = options.correlations ?? [];
    this.correlator =
      correlations.length === 0
        ? null
        : new Correlator(correlations, options.correlationState ?? new InMemoryCorrelationState());
  }

  evaluate(event: SiemEvent, file?: string): Detection[] {
    const out: Detection[] = [];
    this.file = file;
    const view = this.view;
    view.reset(event);
    const dataset = view.text(DATASET_SLOT);
    const bucket = typeof dataset === 'string' ? this.index.bucket(dataset) : undefined;
    if (bucket !== undefined) {
      const gen = this.nextGen();
      const stamp = this.stamp;
      for (const scanner of bucket.scanners) scanner.mark(view, stamp, gen);
      const rules = this.index.rules;
      const members = bucket.rules;
      const always = bucket.always;
      for (let k = 0; k < members.length; k++) {
        const i = members[k]!;
        if (always[i] === 0 && stamp[i] !== gen) continue;
        const rule = rules[i]!;
        if (rule.filter !== null && !rule.filter.match(view)) continue;
        if (!rule.detection.match(view)) continue;
        this.emit(rule, view, out);
      }
    }
    for (const rule of this.foreign) if (rule.match(event)) this.emit(rule, view, out);
    return out;
  }

  /** what the index did with the rules (for `rules validate --verbose` and benchmarks) */
  indexStats(): ReturnType<RuleIndex['stats']> {
    return this.index.stats();
  }

  private emit(rule: CompiledRule, view: EventView, out: Detection[]): void {
    const correlator = this.correlator;
    if (correlator === null) {
      out.push({ rule: rule.meta, event: view.current });
      return;
    }
    if (!correlator.silent.has(rule)) out.push({ rule: rule.meta, event: view.current });
    correlator.observe(rule, view, out, this.file);
  }

  private nextGen(): number {
    if (++this.gen >= 0x7fffffff) {
      this.gen = 1;
      this.stamp.fill(0);
    }
    return this.gen;
  }
}
