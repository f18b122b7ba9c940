import type { SiemEvent } from './event';
import type { EnrichedFields } from './field-catalogue';

/**
 * The enrich stage: adds facts that need memory of earlier events (per-host state) or reference data
 * (expected ports per program) as fields rules can match, e.g. `tuxwatch.listener.expected: false`.
 * Returns the event itself when it has nothing to add.
 */
export interface Enricher {
  /** what it adds, and to which events (domain/field-catalogue.ts) */
  readonly fields: EnrichedFields;
  enrich(event: SiemEvent): SiemEvent;
}
