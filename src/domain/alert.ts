import type { FieldValue } from './event';

/** An alert ready for a sink: its deterministic identity, the index it belongs in, and its ECS fields (flat). */
export interface Alert {
  /** same evidence + same rule -> same id, so a replay never duplicates an alert */
  readonly id: string;
  /** derived from the event's time, never from a rollover alias, so a replay lands in the same index */
  readonly index: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** for a rule that declares a finding identity: the entities the alert is about (alert/finding-key.ts) */
  readonly entity?: AlertEntity;
}

/** The values of a rule's finding identity on one alert, and how long that finding stays open. */
export interface AlertEntity {
  /** one per identity entry: the value of the first of its fields the event has (not the field's name:
   * one source names the account in user.target.name, another in user.name) */
  readonly values: readonly string[];
  readonly renewAfterMs: number;
}

/** Detects: turns one normalized event into the rules it matched. */
export interface Detector {
  /**
   * `file`: the file the event's record was read from, when it was read from one (`scan`): a record in two
   * files is a copy to the correlations, not two occurrences (record-twins.ts)
   */
  evaluate(event: import('./event').SiemEvent, file?: string): readonly import('./rule').Detection[];
}
