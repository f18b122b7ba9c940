import { readFileSync } from 'node:fs';
import type { SiemEvent } from '../domain/event';
import type { RecordOrigin } from '../domain/raw-record';
import { loadDetector } from '../cli/load-detector';
import { createEnrichers, InMemoryHostState } from '../enrich';
import { AuditStream } from '../parse/audit/audit-stream';
import { DetectionPipeline } from '../pipeline/detection-pipeline';
import { round, type BenchResult } from './bench-result';
import { engineOver } from './engine.bench';

const EPOCH = /msg=audit\((\d+)\./;

/**
 * An audit log replayed pass after pass, each pass moved later by the log's span (plus a minute) in its
 * `msg=audit(EPOCH…)` stamps, as a host's stream goes on: serials repeat, but host and time keep events
 * apart. Lines are made before the timed part.
 */
function passes(lines: readonly string[]): (pass: number) => string[] {
  const epochs = lines.map((l) => Number(EPOCH.exec(l)?.[1] ?? 0));
  const span = Math.max(...epochs) - Math.min(...epochs) + 60;
  return (pass) =>
    pass === 0 ? [...lines] : lines.map((l, i) => l.replace(EPOCH, `msg=audit(${epochs[i]! + pass * span}.`));
}

const auditLines = (log: string): string[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

/**
 * `scan` over an audit log, in process: every record through parse → assemble → normalize → enrich (with
 * host state) → detect, the rule set of a scan (bundled + SigmaHQ, auditd rules included), as
 * records/s on one core, and p50/p99 of the time one record takes (most take the assembler's few µs; the one
 * that completes an event pays for its normalization and every event it yields).
 */
export async function auditScanBench(opts: {
  rules: string[];
  log: string;
  records: number;
}): Promise<BenchResult> {
  const lines = auditLines(opts.log);
  const pass = passes(lines);
  const pipeline = new DetectionPipeline({
    detector: await loadDetector(opts.rules),
    enrichers: createEnrichers({ state: new InMemoryHostState() }),
    defaults: { timezone: 'UTC', maxRecordBytes: 1 << 20 },
  });
  const observedAt = new Date();
  const stream = new AuditStream<RecordOrigin>();
  let sampled = 0;
  const run = (batch: readonly string[], sample: Float64Array | undefined, from: number) => {
    let events = 0;
    let alerts = 0;
    for (let k = 0; k < batch.length; k++) {
      const record = { text: batch[k]!, origin: { type: 'file' as const, path: opts.log, line: from + k } };
      const t0 = sample !== undefined && k % 10 === 0 ? process.hrtime.bigint() : 0n;
      const outcome = pipeline.process(record, observedAt, stream);
      if (t0 !== 0n) sample![sampled++] = Number(process.hrtime.bigint() - t0) / 1000;
      if (outcome.ok) {
        events += outcome.events.length;
        alerts += outcome.alerts.length;
      }
    }
    return { events, alerts };
  };
  // warm-up pass, then the measured ones
  run(pass(0), undefined, 0);
  const samples = new Float64Array(Math.ceil(opts.records / 10) + lines.length);
  sampled = 0;
  let done = 0;
  let events = 0;
  let alerts = 0;
  let elapsed = 0n;
  let cpu = 0;
  for (let p = 1; done < opts.records; p++) {
    const batch = pass(p).slice(0, opts.records - done);
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    const r = run(batch, samples, done);
    elapsed += process.hrtime.bigint() - start;
    const spent = process.cpuUsage(used);
    cpu += (spent.user + spent.system) / 1e6;
    done += batch.length;
    events += r.events;
    alerts += r.alerts;
  }
  const seconds = Number(elapsed) / 1e9;
  const sorted = samples.subarray(0, sampled).sort();
  return {
    bench: 'scan-audit',
    events_per_s: Math.round(done / seconds),
    // a shared machine's other load stretches wall time; CPU time shows what the work itself costs
    records_per_cpu_s: Math.round(done / cpu),
    p50_us: round(sorted[Math.floor(sorted.length * 0.5)]!, 2),
    p99_us: round(sorted[Math.floor(sorted.length * 0.99)]!, 2),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    records: done,
    events,
    alerts,
    events_per_record: round(events / done, 2),
    open_events: stream.pending,
  };
}

/**
 * The engine alone over audit-derived events (the record events of `service: auditd` rules, and the
 * process, file, socket and account events), parsed once up front from the audit log.
 */
export async function auditEngineBench(opts: { rules: string[]; log: string }): Promise<BenchResult> {
  const stream = new AuditStream<number>();
  const ctx = { timezone: 'UTC', now: new Date() };
  const corpus: SiemEvent[] = [];
  auditLines(opts.log).forEach((line, i) => {
    const outcome = stream.add(line, i, ctx);
    if (outcome.ok) corpus.push(...outcome.events);
  });
  corpus.push(...stream.flush());
  return engineOver('engine-audit', opts.rules, corpus);
}
