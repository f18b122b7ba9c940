import type { Enricher } from '../domain/enricher';
import { AccountEnricher } from './account.enricher';
import { FileModeEnricher } from './file-mode.enricher';
import { ListenerReference } from './listener-reference';
import { ListenerEnricher } from './listener.enricher';
import { ProcessLineageEnricher } from './process-lineage.enricher';
import { SnapshotBaselineEnricher } from './snapshot-baseline.enricher';
import type { HostState } from './state/host-state';
import { SnapshotBaselines } from './state/snapshot-baselines';

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
export { SnapshotBaselineEnricher } from './snapshot-baseline.enricher';
export { DEFAULT_BASELINE_LIMITS, SnapshotBaselines, type FactStanding } from './state/snapshot-baselines';

export interface EnricherOptions {
  /** per-host memory; without it only the stateless facts are added (no first_seen, no UID history, no parents) */
  readonly state?: HostState;
  /** a user's expected-listeners YAML, merged over the shipped detections/.reference table */
  readonly expectedListenersFile?: string;
  /** per-host memory of collect runs (serve shares it with the state topic); with `state` alone, a fresh one */
  readonly baselines?: SnapshotBaselines;
}

/** The enrich stage, in order. Reads the expected-listeners table once; throws if it is malformed. */
export function createEnrichers(options: EnricherOptions = {}): Enricher[] {
  const reference = ListenerReference.load(options.expectedListenersFile);
  const { state } = options;
  // with per-host memory, snapshot facts are judged against the host's earlier runs too
  const baselines = options.baselines ?? (state !== undefined ? new SnapshotBaselines() : undefined);
  return [
    // the snapshot verdict first, so every later stage and the rules see it; then lineage: the parent it
    // names is there for every later stage
    ...(baselines !== undefined ? [new SnapshotBaselineEnricher(baselines)] : []),
    ...(state !== undefined ? [new ProcessLineageEnricher(state), new AccountEnricher(state)] : []),
    new FileModeEnricher(state),
    new ListenerEnricher(reference, state),
  ];
}
