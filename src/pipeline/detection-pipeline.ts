import { buildAlert } from '../alert/build-alert';
import type { Alert, Detector } from '../domain/alert';
import type { SiemEvent } from '../domain/event';
import type { InputKind } from '../domain/input-kind';
import type { RawRecord, RecordOrigin } from '../domain/raw-record';
import { parseRecord, type ParseDefaults } from '../parse/parse-record';

/** A record that could not be read, kept whole with the reason (CONTRACT §1 `--dead-letter`, §4). */
export interface DeadLetter {
  readonly reason: string;
  readonly origin: RecordOrigin;
  readonly kind?: InputKind;
  readonly original: string;
}

export type RecordOutcome =
  | { readonly ok: true; readonly events: readonly SiemEvent[]; readonly alerts: readonly Alert[] }
  | { readonly ok: false; readonly deadLetter: DeadLetter };

/**
 * The one place that wires the stages, for `scan` and `serve` alike:
 * parse → normalize (inside the parsers: UTC, ECS) → detect → alert.
 */
export class DetectionPipeline {
  constructor(
    private readonly detector: Detector,
    private readonly defaults: ParseDefaults,
    private readonly clock: () => Date = () => new Date(),
    private readonly alertIndexPrefix?: string,
  ) {}

  /** `observedAt` is when the record was seen (file mtime, Kafka timestamp): it anchors year inference. */
  process(record: RawRecord, observedAt: Date): RecordOutcome {
    const result = parseRecord(record, this.defaults, observedAt);
    if (!result.ok) {
      return {
        ok: false,
        deadLetter: {
          reason: result.reason,
          origin: record.origin,
          kind: result.kind,
          original: record.text,
        },
      };
    }
    const created = this.clock();
    const alerts: Alert[] = [];
    for (const event of result.events) {
      for (const detection of this.detector.evaluate(event))
        alerts.push(buildAlert(detection, created, this.alertIndexPrefix));
    }
    return { ok: true, events: result.events, alerts };
  }
}
