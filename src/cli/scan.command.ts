import { constants } from 'node:fs';
import { access, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { passes, type AlertFilter } from '../alert/alert-filter';
import { htmlReport } from '../alert/format/html-report';
import { CsvWriter } from '../alert/format/csv';
import { alertJson, eventJson } from '../alert/format/ndjson';
import { summaryLines } from '../alert/format/summary-text';
import { alertTable } from '../alert/format/table';
import { terminalStyle } from '../alert/format/terminal-style';
import type { SiemEvent } from '../domain/event';
import { errnoReason } from '../ingest/files/input-walk';
import { StreamOutput } from '../ingest/files/stream-output';
import { scanProgress } from '../observability/scan-progress';
import { terminalText } from '../observability/terminal-text';
import { InlineParseStage } from '../scan/parse-stage';
import { parseWorkers } from '../scan/parse-workers';
import { WorkerParseStage } from '../scan/worker-parse-stage';
import { runScan, scanParseDefaults, type ScanRunOptions } from '../scan/scan-run';
import { NOT_EVIDENCE, type ScanSummary } from '../scan/scan-summary';
import { loadDetector, type LoadedDetector } from './load-detector';

export type OutputFormat = 'ndjson' | 'table' | 'csv';

export interface ScanOptions extends ScanRunOptions {
  readonly rules: readonly string[];
  readonly format: OutputFormat;
  readonly filter: AlertFilter;
  /** `--no-color` */
  readonly noColor?: boolean;
  /** `--report FILE.html` */
  readonly report?: string;
  /** threads: this one (the stateful stages, and all of it when 1) and threads - 1 parse workers */
  readonly threads?: number;
}

export type { ScanSummary };

/**
 * `tuxwatch scan`: the embedded default. The same pipeline as `serve`, over files, directories or stdin:
 * a timeline of alerts (or every event) on stdout as NDJSON, CSV or a table, and a summary — after the
 * table on stdout, on stderr when stdout is data.
 */
export async function scan(paths: readonly string[], options: ScanOptions): Promise<ScanSummary> {
  if (options.report !== undefined) await checkReportPath(options.report, paths);
  // stdout in pieces of about 64 KiB, at its reader's pace (a pipe to a slow reader: memory, not the input)
  const stdout = new StreamOutput(process.stdout);
  const out = (text: string) => stdout.write(text);
  const events = options.emit === 'events';
  // workers start before this thread loads its rules: their start-up (modules, rules) overlaps it. This
  // thread is one of the N: it runs the stateful stages (a worker per core of the 2-core bench machine, as
  // the first version had, added a third busy thread, 0.8 s of CPU and 120 MB on the bench)
  const workers = parseWorkers(options);
  const parse =
    workers === 0
      ? new InlineParseStage(options.maxRecordBytes)
      : new WorkerParseStage(workers, { defaults: scanParseDefaults(options), rules: options.rules });
  let detector: LoadedDetector;
  let progress: Awaited<ReturnType<typeof scanProgress>>;
  try {
    detector = await loadDetector(options.rules);
    checkRuleIds(detector, options.filter.rules);
    // TUXWATCH_PROGRESS_MIN_BYTES: the input size from which a terminal gets a progress bar (tests set it low)
    const minBytes = Number(process.env.TUXWATCH_PROGRESS_MIN_BYTES) || undefined;
    progress = await scanProgress(paths, process.stderr, minBytes);
  } catch (e) {
    // runScan closes the stage once it runs; until then, a failure must not leave the workers running
    await parse.close();
    throw e;
  }
  const { alerts, counter, report } = await runScan(paths, detector, options, () => parse, {
    ...(events && { onEvent: (e: SiemEvent) => out(eventJson(e) + '\n'), drained: () => stdout.drained() }),
    onProgress: (records, bytes) => progress.update(records, bytes),
  })
    .finally(() => progress.stop())
    // the events printed before a failure are not held back in a piece
    .catch(async (e: unknown) => {
      await stdout.flush();
      throw e;
    });
  const shown = alerts.filter((a) => passes(a, options.filter));
  const summary = counter.summary(shown, alerts.length);
  warn(summary, options);
  const reportFile = options.report;
  if (reportFile !== undefined)
    await writeFile(reportFile, htmlReport(shown, summary, new Date())).catch((e: unknown) => {
      throw new Error(reportFailure(reportFile, e));
    });
  for (const line of report.lines()) process.stderr.write(terminalText(`tuxwatch scan: ${line}`) + '\n');
  const stdoutStyle = terminalStyle(process.stdout, process.env, options.noColor === true);
  const stderrStyle = terminalStyle(process.stderr, process.env, options.noColor === true);
  if (!events && options.format === 'table') {
    if (shown.length > 0) out(alertTable(shown, stdoutStyle).join('\n') + '\n');
    out(summaryLines(summary, stdoutStyle).join('\n') + '\n');
    await stdout.flush();
    return summary;
  }
  if (!events && options.format === 'csv') {
    const csv = new CsvWriter(out);
    for (const alert of shown) {
      csv.writeAlert(alert);
      await stdout.drained();
    }
    csv.end();
  } else if (!events) {
    for (const alert of shown) {
      out(alertJson(alert) + '\n');
      await stdout.drained();
    }
  }
  await stdout.flush();
  process.stderr.write(summaryLines(summary, stderrStyle).join('\n') + '\n');
  return summary;
}

/** `--rule ID` naming no loaded rule is a typo that would hide everything: bad usage (exit 2). */
function checkRuleIds(detector: LoadedDetector, ids?: ReadonlySet<string>): void {
  if (!ids || ids.size === 0) return;
  const known = new Set(detector.ruleIds);
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new Error(
      `--rule: no loaded rule has the id ${unknown.map((id) => JSON.stringify(id)).join(', ')}`,
    );
}

/** The warnings scan has always written to stderr: skipped files and records that could not be parsed. */
function warn(summary: ScanSummary, options: ScanOptions): void {
  const skipped = summary.skipped.filter((s) => s.reason === NOT_EVIDENCE).map((s) => s.path);
  if (skipped.length > 0) {
    process.stderr.write(
      terminalText(
        `tuxwatch scan: skipped ${skipped.length} file(s) found in directories whose first record no parser recognises ` +
          `(name a file, or give --source, to read it anyway): ${skipped.join(', ')}`,
      ) + '\n',
    );
  }
  if (summary.deadLettered > 0) {
    const detail = [...summary.deadLetterReasons].map(([r, n]) => `${n} × ${r}`).join(', ');
    process.stderr.write(
      terminalText(
        `tuxwatch scan: ${summary.deadLettered} of ${summary.records} records could not be parsed (${detail})` +
          (options.deadLetter
            ? `; written to ${options.deadLetter}`
            : '; use --dead-letter FILE to keep them'),
      ) + '\n',
    );
  }
}

/**
 * The report is written after the scan: it must never replace evidence. An existing file inside anything
 * given to scan is refused (bad usage), as `--dead-letter` refuses an input.
 */
async function checkReportPath(report: string, paths: readonly string[]): Promise<void> {
  // written after the scan: a directory that cannot take it is said before the evidence is read, not after
  await access(dirname(resolve(report)), constants.W_OK).catch((e: unknown) => {
    throw new Error(reportFailure(report, e));
  });
  const target = await realpath(report).catch(() => undefined);
  if (target === undefined) return;
  if ((await stat(target)).isDirectory()) throw new Error(reportFailure(report, { code: 'EISDIR' }));
  for (const path of paths) {
    if (path === '-') continue;
    const input = await realpath(path).catch(() => undefined);
    if (input === undefined) continue;
    const inside = (await stat(input)).isDirectory() ? relative(input, target) : target === input ? '' : '..';
    if (!inside.startsWith('..') && !isAbsolute(inside))
      throw new Error(`--report ${report} is evidence given to scan (${path}): choose another file`);
  }
}

const reportFailure = (report: string, e: unknown) =>
  `cannot write the report to ${report}: ${errnoReason(e)}`;
