import { buildAlert } from '../alert/build-alert';
import type { Alert, Detector } from '../domain/alert';
import type { Enricher } from '../domain/enricher';
import { ORIGINAL_BASE64, type SiemEvent } from '../domain/event';
import type { InputKind } from '../domain/input-kind';
import { DEAD_LETTER_PREFIX_BYTES, type RawRecord, type RecordOrigin } from '../domain/raw-record';
import { AuditStream } from '../parse/audit/audit-stream';
import { parseRecord, recordSize, type ParseDefaults, type ParseResult } from '../parse/parse-record';

/**
 * A record that could not be read, with the reason (CONTRACT §1 `--dead-letter`, §4): kept whole, or, when
 * it is over the record limit, its first 64 KiB flagged `truncated` (an oversize record must not become an
 * oversize dead letter). `size` is always the record's true size in bytes.
 */
export interface DeadLetter {
  readonly reason: string;
  readonly origin: RecordOrigin;
  readonly kind?: InputKind;
  readonly original: string;
  readonly size: number;
  readonly truncated?: true;
  /** base64 of the exact bytes of `original` when they are not valid UTF-8 */
  readonly base64?: string;
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
    return this.afterParse(record, parseRecord(record, this.options.defaults, observedAt, audit));
  }

  /**
   * The stages after parse — enrich (state), detect, alert. They hold per-host state, so records go through
   * here one at a time, in order.
   */
  private afterParse(record: RawRecord, result: ParseResult): RecordOutcome {
    if (!result.ok)
      return {
        ok: false,
        deadLetter: deadLetterOf(record, result.reason, result.kind, this.options.defaults.maxRecordBytes),
      };
    // bytes that are not UTF-8 were read leniently: the record's events keep them exactly (an audit event
    // assembled from several records is left alone: the bytes are one record's)
    const parsed =
      record.base64 === undefined || result.kind === 'auditd'
        ? result.events
        : result.events.map((e) => ({ ...e, [ORIGINAL_BASE64]: record.base64! }));
    return {
      ok: true,
      ...this.enrichAndDetect(parsed, record.origin.type === 'file' ? record.origin.path : undefined),
    };
  }

  /** End of input: the audit events still open in `audit` are reported as they are. */
  finish(audit: AuditStream<RecordOrigin> = this.audit): {
    readonly events: readonly SiemEvent[];
    readonly alerts: readonly Alert[];
  } {
    return this.enrichAndDetect(audit.flush());
  }

  /** `file`: the file the events' record was read from, if any */
  private enrichAndDetect(
    parsed: readonly SiemEvent[],
    file?: string,
  ): { events: SiemEvent[]; alerts: Alert[] } {
    const events = this.enrichers.length ? parsed.map((e) => this.enrich(e)) : [...parsed];
    const alerts: Alert[] = [];
    // read once a record detects something: most records detect nothing, and a clock read per record showed
    let created: Date | undefined;
    for (const event of events) {
      for (const detection of this.options.detector.evaluate(event, file)) {
        created ??= this.clock();
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

function deadLetterOf(
  record: RawRecord,
  reason: string,
  kind: InputKind | undefined,
  limit: number,
): DeadLetter {
  const size = recordSize(record);
  const base = { reason, origin: record.origin, kind, size };
  if (record.truncated !== true && size <= limit)
    return { ...base, original: record.text, ...(record.base64 !== undefined && { base64: record.base64 }) };
  // over the limit: a bounded beginning (the transport may have cut it already)
  const cut =
    record.text.length > DEAD_LETTER_PREFIX_BYTES
      ? cutText(record.text, DEAD_LETTER_PREFIX_BYTES)
      : record.text;
  return {
    ...base,
    original: cut,
    truncated: true,
    ...(record.base64 !== undefined && cut === record.text && { base64: record.base64 }),
  };
}

/** At most `max` UTF-16 units of `text`, not ending inside a surrogate pair. */
function cutText(text: string, max: number): string {
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end);
}
