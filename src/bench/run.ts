import { existsSync } from 'node:fs';
import type { SiemEvent } from '../domain/event';
import { resolve } from 'node:path';
import { auditEngineBench, auditScanBench } from './audit.bench';
import { e2eBench } from './e2e.bench';
import { engineBench } from './engine.bench';
import { latencyBench } from './latency.bench';
import { scanBench } from './scan.bench';
import { soakBench } from './soak.bench';

const REPO = resolve(__dirname, '..', '..');
/** the shared corpus beside the repository, or BENCH_SHARED (for a clone elsewhere) */
const SHARED = process.env.BENCH_SHARED ?? resolve(REPO, '..', 'shared');
/** SigmaHQ's Linux rules in it (the compatibility suite), or SIGMA_RULES. */
const SIGMA = process.env.SIGMA_RULES ?? resolve(SHARED, 'sigma-linux', 'rules');
const EVIDENCE = [resolve(REPO, 'samples'), resolve(SHARED, 'corpus', 'loghub')];
/** Process starts and snapshot rows of the process sources: Sysmon for Linux, Auditbeat, osquery, ps. */
const PROCESS_EVIDENCE = [
  resolve(REPO, 'test', 'fixtures', 'sysmon'),
  resolve(REPO, 'test', 'fixtures', 'auditbeat', 'lab04-auditd-exec-chain.ndjson'),
  resolve(REPO, 'test', 'fixtures', 'auditbeat', 'beats-system-process-stopped.json'),
  resolve(REPO, 'test', 'fixtures', 'osquery', 'docs-process-events.json'),
  resolve(REPO, 'samples', 'web01', 'ps-auxww.txt'),
];
const processCreation = (e: SiemEvent): boolean =>
  e['event.dataset'] === 'process' &&
  Array.isArray(e['event.type']) &&
  e['event.type'].some((t) => t === 'start' || t === 'info');
/** web02's audit.log (auditd 3.0.9 RAW, 16 028 records): the audit benches' stream */
const AUDIT_LOG = process.env.BENCH_AUDIT_LOG ?? resolve(SHARED, 'corpus', 'web02', 'audit.log');

/**
 * `npm run bench [-- engine|engine-audit|scan|scan-audit|e2e|latency|soak …]`: one JSON line per
 * measurement (CONTRACT §5), human notes on stderr. With no argument: engine, the two audit benches, scan and e2e
 * (latency and soak take minutes: asked for by name).
 */
async function main(which: string[]): Promise<void> {
  const all = which.length === 0;
  const rules = [resolve(REPO, 'detections')];
  if (existsSync(SIGMA)) rules.push(SIGMA);
  else process.stderr.write(`note: ${SIGMA} not found; the engine benches run the bundled rules only\n`);
  if (all || which.includes('engine')) {
    const result = await engineBench({ rules, evidence: EVIDENCE });
    process.stderr.write(
      `engine: ${result.events_per_s} events/s on one core, p50 ${result.p50_us} µs, p99 ${result.p99_us} µs, ` +
        `${result.rules} rules, target ≥ 150000 events/s\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
    // the same engine over process starts only: the events process_creation rules (most of SigmaHQ's) see
    const proc = await engineBench({ rules, evidence: PROCESS_EVIDENCE }, 300_000, {
      name: 'engine-process',
      select: processCreation,
    });
    process.stderr.write(
      `engine-process: ${proc.events_per_s} events/s on one core over ${proc.corpus_events} process starts ` +
        `(Sysmon, Auditbeat, osquery, ps), p50 ${proc.p50_us} µs, p99 ${proc.p99_us} µs\n`,
    );
    process.stdout.write(JSON.stringify(proc) + '\n');
  }
  if (all || which.includes('scan')) {
    const results = await scanBench({
      cli: resolve(REPO, 'dist', 'cli.js'),
      evidence: [
        resolve(SHARED, 'corpus', 'loghub', 'OpenSSH_2k.log'),
        resolve(SHARED, 'corpus', 'loghub', 'Linux_2k.log'),
        resolve(REPO, 'samples', 'web01', 'auth.log'),
        resolve(REPO, 'samples', 'web01', 'syslog'),
      ],
      lines: Number(process.env.BENCH_SCAN_LINES ?? 200_000),
      threads: (process.env.BENCH_SCAN_THREADS ?? '1,2').split(',').map(Number),
      runs: Number(process.env.BENCH_SCAN_RUNS ?? 5),
    });
    for (const r of results) {
      process.stderr.write(
        `scan: ${r.events_per_s} syslog lines/s end to end with ${r.threads} thread(s) ` +
          `(${r.lines} lines in ${r.seconds} s, the median of ${r.runs} runs from ${r.seconds_min} to ${r.seconds_max} s, ` +
          `start-up included; ${r.cpu_s} s CPU, user + system), peak RSS ${r.rss_mb} MB, ` +
          `load average ${r.load_avg_1m} on ${r.cores} cores, target ≥ 150000 lines/s\n`,
      );
      process.stdout.write(JSON.stringify(r) + '\n');
    }
  }
  if ((all || which.includes('engine-audit')) && existsSync(AUDIT_LOG)) {
    const result = await auditEngineBench({ rules, log: AUDIT_LOG });
    process.stderr.write(
      `engine-audit: ${result.events_per_s} audit-derived events/s on one core, p50 ${result.p50_us} µs, ` +
        `p99 ${result.p99_us} µs, ${result.rules} rules\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  if ((all || which.includes('scan-audit')) && existsSync(AUDIT_LOG)) {
    const result = await auditScanBench({
      rules,
      log: AUDIT_LOG,
      records: Number(process.env.BENCH_AUDIT_RECORDS ?? 200_000),
    });
    process.stderr.write(
      `scan-audit: ${result.events_per_s} audit records/s on one core (${result.records_per_cpu_s} per CPU ` +
        `second; parse, assemble, normalize, enrich, ` +
        `detect), ${result.events_per_record} events per record, p99 ${result.p99_us} µs per record, ` +
        `RSS ${result.rss_mb} MB\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  const stackBenches = ['e2e', 'latency', 'soak'].filter((b) => (all ? b === 'e2e' : which.includes(b)));
  if (stackBenches.length === 0) return;
  const brokers = process.env.KAFKA_BROKERS?.split(',');
  const url = process.env.ELASTICSEARCH_URL;
  if (!brokers || !url) {
    process.stderr.write(
      `${stackBenches.join(', ')}: skipped; set KAFKA_BROKERS and ELASTICSEARCH_URL (npm run stack:up gives both)\n`,
    );
    return;
  }
  const stack = {
    repo: REPO,
    brokers,
    elasticsearchUrl: url,
    evidence: [
      ...EVIDENCE.slice(1).map((d) => resolve(d, 'OpenSSH_2k.log')),
      resolve(REPO, 'samples', 'web01', 'auth.log'),
    ],
    verbatim: process.env.BENCH_REPLAY === 'verbatim',
  };
  /** half the 25 000 records/s target: the rate the latency and memory figures are asked at */
  const rate = Number(process.env.BENCH_RATE ?? 12_500);
  if (stackBenches.includes('e2e')) {
    const result = await e2eBench({ ...stack, records: Number(process.env.BENCH_RECORDS ?? 200_000) });
    process.stderr.write(
      `e2e: ${result.events_per_s} records/s sustained Kafka -> Elasticsearch with offsets committed ` +
        `(${result.events_per_s_from_spawn} records/s counting ${result.startup_s} s of start-up), ` +
        `${result.records} records, peak RSS ${result.rss_mb} MB, target ≥ 25000 records/s\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  if (stackBenches.includes('latency')) {
    const result = await latencyBench({
      ...stack,
      rate,
      seconds: Number(process.env.BENCH_LATENCY_SECONDS ?? 60),
    });
    process.stderr.write(
      `latency: event-to-alert p50 ${ms(result.p50_us)} ms, p99 ${ms(result.p99_us)} ms at ` +
        `${result.events_per_s} records/s (${result.probes} probes, ${result.probes_missing} missing), ` +
        `target p99 < 1000 ms at 12500 records/s\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  if (stackBenches.includes('soak')) {
    const result = await soakBench({
      ...stack,
      rate,
      seconds: Number(process.env.BENCH_SOAK_SECONDS ?? 600),
    });
    process.stderr.write(
      `soak: RSS ${result.rss_start_mb} -> ${result.rss_end_mb} MB (peak ${result.rss_peak_mb} MB), ` +
        `slope ${result.rss_slope_mb_per_min} MB/min over ${result.seconds} s at ${result.events_per_s} ` +
        `records/s, ${result.lag_at_end} records behind at the end\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

const ms = (us: number | string | undefined): number => Math.round(Number(us) / 1000);

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.message}\n`);
  process.exitCode = 1;
});
