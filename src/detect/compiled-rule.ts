import type { SiemEvent } from '../domain/event';
import type { RuleMeta } from '../domain/rule';
import type { RuleTestCase } from './load/test-cases';
import { EventView } from './sigma/event-view';
import { ecsSlot } from './sigma/field-map';
import type { DetectionNode } from './sigma/logic';
import type { Dataset, Logsource, LogsourceBinding } from './sigma/logsource';

const DATASET_SLOT = ecsSlot('event.dataset');

/** A loaded Sigma rule, ready to run. */
export interface CompiledRule {
  readonly meta: RuleMeta;
  /** Sigma `name`, if any (correlations may refer to a rule by it) */
  readonly name?: string;
  readonly logsource: Logsource;
  /** false when tuxwatch ingests nothing the logsource asks for; `inactiveReason` says why */
  readonly active: boolean;
  readonly inactiveReason?: string;
  /** what the rule runs on, in words (empty when inactive) */
  readonly coverage: string;
  /** `event.dataset` values the rule can see (empty when inactive) */
  readonly datasets: readonly Dataset[];
  readonly tests: readonly RuleTestCase[];
  /** the rule's logsource selects the event and its detection matches it */
  match(event: SiemEvent): boolean;
  /** the detection alone, logsource ignored (for inactive rules' tests and for debugging) */
  matchesDetection(event: SiemEvent): boolean;
}

/** The compiled form the engine and index work with. */
export class SigmaRule implements CompiledRule {
  readonly active: boolean;
  readonly inactiveReason?: string;
  readonly coverage: string;
  readonly datasets: readonly Dataset[];
  /** extra logsource test beyond the dataset (syslog program, connected socket), null when none */
  readonly filter: DetectionNode | null;

  constructor(
    readonly meta: RuleMeta,
    readonly logsource: Logsource,
    binding: LogsourceBinding,
    readonly detection: DetectionNode,
    readonly tests: readonly RuleTestCase[],
    readonly name?: string,
  ) {
    if (binding.active) {
      this.active = true;
      this.datasets = binding.datasets;
      this.filter = binding.filter;
      this.coverage = binding.description;
    } else {
      this.active = false;
      this.inactiveReason = binding.reason;
      this.datasets = [];
      this.filter = null;
      this.coverage = '';
    }
  }

  /** logsource and detection, on an event view (the engine's shared one) */
  matchView(view: EventView): boolean {
    if (!this.active) return false;
    const dataset = view.text(DATASET_SLOT);
    if (typeof dataset !== 'string' || !(this.datasets as readonly string[]).includes(dataset)) return false;
    if (this.filter !== null && !this.filter.match(view)) return false;
    return this.detection.match(view);
  }

  match(event: SiemEvent): boolean {
    return this.matchView(new EventView(event));
  }

  matchesDetection(event: SiemEvent): boolean {
    return this.detection.match(new EventView(event));
  }
}
