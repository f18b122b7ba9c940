import type { FieldValue } from './event';

/** An alert ready for a sink: its deterministic identity, the index it belongs in, and its ECS fields (flat). */
export interface Alert {
  /** same evidence + same rule -> same id, so a replay never duplicates an alert */
  readonly id: string;
  /** derived from the event's time, never from a rollover alias, so a replay lands in the same index */
  readonly index: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

/** Detects: turns one normalized event into the rules it matched. */
export interface Detector {
  evaluate(event: import('./event').SiemEvent): readonly import('./rule').Detection[];
}
