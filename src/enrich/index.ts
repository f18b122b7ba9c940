import type { Enricher } from '../domain/enricher';
import { AccountEnricher } from './account.enricher';
import { FileModeEnricher } from './file-mode.enricher';
import { ListenerReference } from './listener-reference';
import { ListenerEnricher } from './listener.enricher';
import { ProcessLineageEnricher } from './process-lineage.enricher';
import type { HostState } from './state/host-state';

export { AccountEnricher } from './account.enricher';
export { FileModeEnricher, TIMESTOMP_THRESHOLD_MS } from './file-mode.enricher';
export { BUNDLED_EXPECTED_LISTENERS, ListenerReference, ListenerReferenceError } from './listener-reference';
export { ListenerEnricher, listenerKey } from './listener.enricher';
export { PROCESS_TEXT_LIMIT, ProcessLineageEnricher } from './process-lineage.enricher';
export { parseHostSnapshot, SnapshotError, type HostSnapshot } from './state/host-snapshot';
export {
  DEFAULT_HOST_STATE_LIMITS,
  type AccountRecord,
  type FileRecord,
  type HostState,
  type HostStateLimits,
  type ListenerRecord,
  type ProcessRecord,
} from './state/host-state';
export { InMemoryHostState, type InMemoryHostStateOptions } from './state/in-memory-host-state';

export interface EnricherOptions {
  /** per-host memory; without it only the stateless facts are added (no first_seen, no UID history, no parents) */
  readonly state?: HostState;
  /** a user's expected-listeners YAML, merged over the shipped detections/.reference table */
  readonly expectedListenersFile?: string;
}

/** The enrich stage, in order. Reads the expected-listeners table once; throws if it is malformed. */
export function createEnrichers(options: EnricherOptions = {}): Enricher[] {
  const reference = ListenerReference.load(options.expectedListenersFile);
  const { state } = options;
  return [
    // lineage first: the parent it names is there for every later stage
    ...(state !== undefined ? [new ProcessLineageEnricher(state), new AccountEnricher(state)] : []),
    new FileModeEnricher(state),
    new ListenerEnricher(reference, state),
  ];
}
