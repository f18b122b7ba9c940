import type { SiemEvent } from './event';

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** ECS event.severity per level (CONTRACT §2). */
export const SEVERITY: Readonly<Record<Level, number>> = {
  informational: 0,
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
};

/** A rule's identity and metadata, independent of how its detection is compiled. */
export interface RuleMeta {
  /** stable slug: the file name without `.yml` (CONTRACT §2 `rule.id`) */
  readonly id: string;
  /** Sigma `id` (UUID) */
  readonly uuid: string;
  readonly title: string;
  readonly level: Level;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly falsepositives?: readonly string[];
  /** file the rule was loaded from */
  readonly file: string;
  /**
   * Entity fields an alert of this rule carries (copied from the triggering event when present). Default:
   * the CONTRACT §2 entity fields.
   */
  readonly alertFields?: readonly string[];
  /** what makes two alerts of this rule one finding whatever source saw it (the rule's `finding:` block) */
  readonly finding?: FindingIdentity;
}

/**
 * An entity rule's finding identity: the entities an alert is about (the account, the file), each the
 * first present of one or more fields. Alerts of the rule on one host with the same entities are one
 * finding, whatever source, process or time slot they came from, until the entities have been quiet for
 * `renewAfterMs`: a recurrence after that is a new alert.
 */
export interface FindingIdentity {
  /** per entity, the fields that may name it, in order of preference */
  readonly entities: readonly (readonly string[])[];
  readonly renewAfterMs: number;
}

/** A rule that matched: the rule and the event that made it match (the last of several for a correlation). */
export interface Detection {
  readonly rule: RuleMeta;
  /** the event that completed the match; its time and raw record become the alert's */
  readonly event: SiemEvent;
  /** for correlation rules: the occurrences that were counted (an event's `tuxwatch.event.count` each) */
  readonly relatedCount?: number;
}

/** A problem found while loading rules, located in its file. */
export interface RuleProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  /** errors make a rule unusable; notes explain a rule that loads but cannot run here (unsupported logsource) */
  readonly severity: 'error' | 'warning' | 'note';
}

export const formatProblem = (p: RuleProblem): string =>
  `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
