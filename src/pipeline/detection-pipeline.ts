import { buildAlert } from '../alert/build-alert';
import type { Alert, Detector } from '../domain/alert';
import type { Enricher } from '../domain/enricher';
import type { SiemEvent } from '../domain/event';
import type { InputKind } from '../domain/input-kind';
import type { RawRecord, RecordOrigin } from '../domain/raw-record';
import { AuditStream } from '../parse/audit/audit-stream';
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
 * parse → normalize (inside the parsers: UTC, ECS) → enrich (state, reference data) → detect → alert.
 */
export interface PipelineOptions {
  readonly detector: Detector;
  readonly defaults: ParseDefaults;
  /** stateful and reference-data enrichment, in order */
  readonly enrichers?: readonly Enricher[];
  /** alert indices are `<prefix>YYYY.MM` */
  readonly alertIndexPrefix?: string;
  /** `event.created` of alerts */
  readonly clock?: () => Date;
}

export class DetectionPipeline {
  private readonly enrichers: readonly Enricher[];
  private readonly clock: () => Date;
  /** audit assembly for callers with one stream of records (scan); serve keeps one per partition */
  private readonly audit = new AuditStream<RecordOrigin>();

  constructor(private readonly options: PipelineOptions) {
    this.enrichers = options.enrichers ?? [];
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * `observedAt` is when the record was seen (file mtime, Kafka timestamp): it anchors year inference.
   * Audit records are grouped into events in `audit`, this pipeline's own stream unless the caller keeps
   * one per source; an audit line's outcome holds the events it completed.
   */
  process(record: RawRecord, observedAt: Date, audit: AuditStream<RecordOrigin> = this.audit): RecordOutcome {
    const result = parseRecord(record, this.options.defaults, observedAt, audit);
    if (!result.ok) {
      const deadLetter = {
        reason: result.reason,
        origin: record.origin,
        kind: result.kind,
        original: record.text,
      };
      return { ok: false, deadLetter };
    }
    return { ok: true, ...this.enrichAndDetect(result.events) };
  }

  /** End of input: the audit events still open in `audit` are reported as they are. */
  finish(audit: AuditStream<RecordOrigin> = this.audit): {
    readonly events: readonly SiemEvent[];
    readonly alerts: readonly Alert[];
  } {
    return this.enrichAndDetect(audit.flush());
  }

  private enrichAndDetect(parsed: readonly SiemEvent[]): { events: SiemEvent[]; alerts: Alert[] } {
    const created = this.clock();
    const events = this.enrichers.length ? parsed.map((e) => this.enrich(e)) : [...parsed];
    const alerts: Alert[] = [];
    for (const event of events) {
      for (const detection of this.options.detector.evaluate(event)) {
        alerts.push(buildAlert(detection, created, this.options.alertIndexPrefix));
      }
    }
    return { events, alerts };
  }

  /** Detect → alert for an event made outside the parse stage (the service's own health observations). */
  detect(event: SiemEvent): Alert[] {
    const created = this.clock();
    return this.options.detector
      .evaluate(event)
      .map((detection) => buildAlert(detection, created, this.options.alertIndexPrefix));
  }

  private enrich(event: SiemEvent): SiemEvent {
    let out = event;
    for (const enricher of this.enrichers) out = enricher.enrich(out);
    return out;
  }
}
