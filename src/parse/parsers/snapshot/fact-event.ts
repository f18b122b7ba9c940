import type { FieldValue } from '../../../domain/event';
import type { FactData, FactName } from '../../../domain/snapshot-record';

/** What one snapshot fact becomes: the dataset it joins and its ECS fields (docs/events.md, Snapshots). */
export interface FactEvent {
  readonly dataset: 'auth' | 'file_integrity' | 'process' | 'socket' | 'snapshot';
  /** the fact's own time when it has one (a login); otherwise the event takes the run's start */
  readonly timestamp?: string;
  readonly fields: Record<string, FieldValue>;
  /**
   * What the fact is about, the same in every run that sees the same thing (an account with its UID, a
   * key fingerprint per account, a SUID path with its mode): the per-host baseline compares runs by it.
   * Facts no rule judges carry none.
   */
  readonly key?: string;
}

/** Turns one fact's data into its event; `runAt` is the run's start time. */
export type FactMapper<F extends FactName> = (data: FactData<F>, runAt: string, host: string) => FactEvent;

export type FactMappers = { readonly [F in FactName]: FactMapper<F> };

/** Parts of a key joined with a separator no path or name contains. */
export const keyOf = (...parts: readonly (string | number | boolean)[]): string => parts.join('\u001f');
