import { AlertFolder } from '../alert/alert-folder';
import { StdoutSink, type OutputFormat } from '../alert/sinks/stdout.sink';
import { Timeline } from '../alert/timeline';
import type { InputKind } from '../domain/input-kind';
import { DeadLetterFile } from '../ingest/files/dead-letter-file';
import { fileHead, readRecords } from '../ingest/files/file-records';
import { expandInputs, InputReport, type InputFile } from '../ingest/files/input-walk';
import { isWholeDocumentHead, sniffParser } from '../parse/registry';
import { createEnrichers, InMemoryHostState } from '../enrich';
import { DetectionPipeline } from '../pipeline/detection-pipeline';
import { terminalText } from '../observability/terminal-text';
import { loadDetector } from './load-detector';

export interface ScanOptions {
  readonly source: InputKind | 'auto';
  readonly host?: string;
  readonly timezone: string;
  readonly year?: number;
  readonly rules: readonly string[];
  readonly format: OutputFormat;
  readonly deadLetter?: string;
  readonly emit: 'alerts' | 'events';
  readonly maxRecordBytes: number;
  /** repeats of one finding inside this window fold into one alert with a count; 0: no folding */
  readonly suppressWindowMs: number;
  /** a YAML table of expected listeners merged over the shipped one */
  readonly expectedListeners?: string;
}

export interface ScanSummary {
  readonly records: number;
  readonly events: number;
  readonly alerts: number;
  readonly deadLettered: number;
  readonly skipped: number;
  /** inputs that could not be read (named in stderr): the exit status is then 2 */
  readonly unreadable: number;
}

/**
 * `tuxwatch scan`: the embedded default. The same pipeline as `serve`, over files, directories or stdin,
 * with alerts (or events) on stdout and unreadable records counted on stderr or written to a file.
 */
export async function scan(paths: readonly string[], options: ScanOptions): Promise<ScanSummary> {
  const detector = await loadDetector(options.rules);
  const pipeline = new DetectionPipeline({
    detector,
    enrichers: createEnrichers({
      state: new InMemoryHostState(),
      expectedListenersFile: options.expectedListeners,
    }),
    defaults: {
      timezone: options.timezone,
      year: options.year,
      host: options.host,
      maxRecordBytes: options.maxRecordBytes,
    },
  });
  const sink = new StdoutSink(process.stdout, options.format);
  // inputs that cannot be read are reported at the end; they never stop the scan
  const report = new InputReport();
  const inputs = await expandInputs(paths.length ? paths : ['-'], report);
  const deadLetters = options.deadLetter ? await DeadLetterFile.open(options.deadLetter, inputs) : undefined;
  // scan keeps every finding until it prints them: its memory is the alerts, never the input
  const folder = new AlertFolder(options.suppressWindowMs, { forgetBehind: false, maxFindings: Infinity });
  // folded alerts are printed at the end, when their counts are known, as a timeline
  const timeline = new Timeline();
  const reasons = new Map<string, number>();
  const skipped: string[] = [];
  let records = 0;
  let events = 0;
  let deadLettered = 0;
  try {
    for (const input of inputs) {
      if (!input.named && options.source === 'auto' && !(await looksLikeEvidence(input))) {
        skipped.push(input.path);
        continue;
      }
      const hints = {
        kind: options.source === 'auto' ? undefined : options.source,
        host: options.host,
        maxRecordBytes: options.maxRecordBytes,
        isWholeDocument: isWholeDocumentHead,
        report,
      };
      for await (const { record, observedAt } of readRecords(input.path, hints)) {
        records++;
        const outcome = pipeline.process(record, observedAt);
        if (!outcome.ok) {
          deadLettered++;
          deadLetters?.write(outcome.deadLetter);
          const reason = outcome.deadLetter.reason.split(':')[0]!;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          continue;
        }
        events += outcome.events.length;
        if (options.emit === 'events') outcome.events.forEach((e) => sink.writeEvent(e));
        else timeline.add(folder.fold(outcome.alerts, outcome.events));
      }
    }
    // audit events still open at the end of input are reported as they are
    const rest = pipeline.finish();
    events += rest.events.length;
    if (options.emit === 'events') rest.events.forEach((e) => sink.writeEvent(e));
    else timeline.add(folder.fold(rest.alerts, rest.events));
  } finally {
    await deadLetters?.close();
  }
  for (const alert of timeline.sorted()) sink.writeAlert(alert);
  if (skipped.length > 0) {
    process.stderr.write(
      terminalText(
        `tuxwatch scan: skipped ${skipped.length} file(s) found in directories whose first record no parser recognises ` +
          `(name a file, or give --source, to read it anyway): ${skipped.join(', ')}`,
      ) + '\n',
    );
  }
  for (const line of report.lines()) process.stderr.write(terminalText(`tuxwatch scan: ${line}`) + '\n');
  if (deadLettered > 0) {
    const detail = [...reasons].map(([r, n]) => `${n} × ${r}`).join(', ');
    process.stderr.write(
      terminalText(
        `tuxwatch scan: ${deadLettered} of ${records} records could not be parsed (${detail})` +
          (options.deadLetter
            ? `; written to ${options.deadLetter}`
            : '; use --dead-letter FILE to keep them'),
      ) + '\n',
    );
  }
  return {
    records,
    events,
    alerts: timeline.size,
    deadLettered,
    skipped: skipped.length,
    unreadable: report.unreadable,
  };
}

/**
 * A file met while walking a directory is read only if its first record is evidence some parser knows:
 * a README or a manifest beside the logs is not a stream of bad records. Skips are reported, never silent.
 */
async function looksLikeEvidence(input: InputFile): Promise<boolean> {
  const head = await fileHead(input.path);
  if (head.trim() === '') return true;
  if (isWholeDocumentHead(head) || (/^\s*\{/.test(head) && sniffParser(head) !== undefined)) return true;
  const first = head.split('\n').find((l) => l.trim() !== '') ?? '';
  return sniffParser(first) !== undefined;
}
