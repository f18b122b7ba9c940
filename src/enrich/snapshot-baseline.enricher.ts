import type { Enricher } from '../domain/enricher';
import type { EnrichedFields } from '../domain/field-catalogue';
import type { SiemEvent } from '../domain/event';
import { hostOf, text, withFields } from './event-fields';
import type { SnapshotBaselines } from './state/snapshot-baselines';

const BASELINE_FIELDS: EnrichedFields = {
  name: 'snapshot baselines',
  datasets: ['auth', 'file_integrity', 'process', 'socket'],
  requires: ['tuxwatch.snapshot.key'],
  adds: ['tuxwatch.snapshot.new', 'tuxwatch.snapshot.baseline'],
};

/**
 * Judges each fact of a `tuxwatch collect` run against the host's previous run of the same check:
 * `tuxwatch.snapshot.new` is true for a fact that run did not show (a new UID 0 account, sudoer, key,
 * SUID file, listener, persistence entry, failing package file) and false for one it did; in the host's
 * first run of a check — its baseline — the field is absent and `tuxwatch.snapshot.baseline` is true.
 * Rules alert on what is new, and on what is wrong in itself unless it is known (`new: false`), so each
 * finding alerts once, in the run it first appears in.
 */
export class SnapshotBaselineEnricher implements Enricher {
  readonly fields: EnrichedFields = BASELINE_FIELDS;

  constructor(private readonly baselines: SnapshotBaselines) {}

  enrich(event: SiemEvent): SiemEvent {
    if (event['event.module'] !== 'snapshot') return event;
    const key = text(event, 'tuxwatch.snapshot.key');
    const check = text(event, 'tuxwatch.snapshot.check');
    const run = text(event, 'tuxwatch.snapshot.run');
    if (check === undefined || run === undefined) return event;
    if (key === undefined) {
      this.baselines.observeRun(hostOf(event), check, run);
      return event;
    }
    const standing = this.baselines.observe(hostOf(event), check, run, key);
    return withFields(
      event,
      standing === 'baseline'
        ? { 'tuxwatch.snapshot.baseline': true }
        : { 'tuxwatch.snapshot.new': standing === 'new' },
    );
  }
}
