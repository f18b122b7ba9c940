import { AlertFolder } from '../alert/alert-folder';
import { Timeline } from '../alert/timeline';
import type { Alert, Detector } from '../domain/alert';
import type { SiemEvent } from '../domain/event';
import type { InputKind } from '../domain/input-kind';
import { createEnrichers, InMemoryHostState, SnapshotBaselines } from '../enrich';
import { DeadLetterFile } from '../ingest/files/dead-letter-file';
import { readInputPieces, type InputPiece } from '../ingest/files/file-chunks';
import type { ObservedRecord } from '../ingest/files/file-records';
import type { ParseDefaults } from '../parse/parse-record';
import { continuesRecord, isWholeDocumentHead } from '../parse/registry';
import { DetectionPipeline } from '../pipeline/detection-pipeline';
import { batches, rebatch, type ParseStage } from './parse-stage';
import { NOT_EVIDENCE, ScanCounter } from './scan-summary';
import { expandInputs, InputReport, looksLikeEvidence } from './scan-inputs';

export interface ScanRunOptions {
  readonly source: InputKind | 'auto';
  readonly host?: string;
  readonly timezone: string;
  readonly year?: number;
  readonly deadLetter?: string;
  readonly emit: 'alerts' | 'events';
  readonly maxRecordBytes: number;
  /** repeats of one finding inside this window fold into one alert with a count; 0: no folding */
  readonly suppressWindowMs: number;
  /** a YAML table of expected listeners merged over the shipped one */
  readonly expectedListeners?: string;
  /** records of a sweep of this host (`scan --live`, src/collect/live-records.ts), read instead of files */
  readonly live?: AsyncIterable<ObservedRecord>;
}

export interface ScanRunHooks {
  /** `--emit events`: every normalized event, in input order */
  readonly onEvent?: (event: SiemEvent) => void;
  /** records and bytes read so far (progress) */
  readonly onProgress?: (records: number, bytes: number) => void;
  /**
   * Awaited after each batch: resolves when the reader of what `onEvent` wrote has caught up, so that a
   * slow reader slows the scan down instead of its output piling up in memory.
   */
  readonly drained?: () => Promise<void>;
}

/** What a scan's parse stage assumes of records that do not say (zone, year, host, size limit). */
export const scanParseDefaults = (options: ScanRunOptions): ParseDefaults => ({
  timezone: options.timezone,
  year: options.year,
  host: options.host,
  maxRecordBytes: options.maxRecordBytes,
});

/** The parse stage to use, given the pipeline's parse defaults (one thread, or a pool of workers). */
export type ParseStageFactory = (pipeline: DetectionPipeline) => ParseStage;

/**
 * The scan's stages, in order and visible: ingest (files → records, on this thread, in file order) →
 * parse (pure: here or on worker threads, results in record order) → enrich → detect → alert (per-host state:
 * on this thread, record by record) → fold → timeline. Returns the timeline, sorted, and what was read.
 */
export async function runScan(
  paths: readonly string[],
  detector: Detector,
  options: ScanRunOptions,
  parseStage: ParseStageFactory,
  hooks: ScanRunHooks = {},
): Promise<{ alerts: Alert[]; counter: ScanCounter; report: InputReport }> {
  const pipeline = new DetectionPipeline({
    detector,
    enrichers: createEnrichers({
      state: new InMemoryHostState(),
      baselines: new SnapshotBaselines(),
      expectedListenersFile: options.expectedListeners,
    }),
    defaults: scanParseDefaults(options),
  });
  const counter = new ScanCounter();
  // inputs that cannot be read are reported at the end; they never stop the scan
  const report = new InputReport();
  const inputs = options.live ? [] : await expandInputs(paths.length ? paths : ['-'], report);
  const deadLetters = options.deadLetter ? await DeadLetterFile.open(options.deadLetter, inputs) : undefined;
  // scan keeps every finding until it prints them: its memory is the alerts, never the input
  const folder = new AlertFolder(options.suppressWindowMs, { forgetBehind: false, maxFindings: Infinity });
  const timeline = new Timeline();
  const parse = parseStage(pipeline);
  const hints = {
    kind: options.source === 'auto' ? undefined : options.source,
    host: options.host,
    maxRecordBytes: options.maxRecordBytes,
    isWholeDocument: isWholeDocumentHead,
    report,
    continues: continuesRecord,
  };
  let bytes = 0;
  const take = (out: { readonly events: readonly SiemEvent[]; readonly alerts: readonly Alert[] }) => {
    for (const event of out.events) counter.event(event);
    if (hooks.onEvent) out.events.forEach(hooks.onEvent);
    else timeline.add(folder.fold(out.alerts, out.events));
  };
  const consume = async (pieces: AsyncIterable<InputPiece>): Promise<void> => {
    for await (const { records, read, bytes: pieceBytes, unseen } of parse.run(rebatch(pieces))) {
      counter.records += read;
      bytes += pieceBytes;
      hooks.onProgress?.(counter.records, bytes);
      if (unseen) counter.unseen(unseen);
      for (const { record, observedAt } of records) {
        const outcome = pipeline.process(record, observedAt);
        if (!outcome.ok) {
          counter.deadLetter(outcome.deadLetter.reason);
          deadLetters?.write(outcome.deadLetter);
          continue;
        }
        take(outcome);
      }
      // a slow disk or reader holds the reading back: what it has not taken yet is only a batch's worth
      await deadLetters?.drained();
      await hooks.drained?.();
    }
  };
  try {
    if (options.live) await consume(batches(options.live));
    for (const input of inputs) {
      if (!input.named && options.source === 'auto' && !(await looksLikeEvidence(input))) {
        counter.skipped.push({ path: input.path, reason: NOT_EVIDENCE });
        continue;
      }
      counter.files++;
      // a plain file goes to the parse threads as chunks of its lines; the lines an entry was wrapped over
      // (sudo's own log file) are one record before any thread parses them
      await consume(readInputPieces(input.path, hints));
    }
    // audit events still open at the end of input are reported as they are
    take(pipeline.finish());
  } finally {
    await parse.close();
    await deadLetters?.close();
  }
  for (const skip of report.skipped) {
    counter.skipped.push({ path: skip.path, reason: skip.reason });
    if (skip.unreadable) counter.unreadable++;
  }
  return { alerts: timeline.sorted(), counter, report };
}
