import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SiemEvent } from '../domain/event';
import { DetectionEngine, loadRuleSet } from '../detect/engine';
import { parseRecord } from '../parse/parse-record';
import { round, type BenchResult } from './bench-result';

/**
 * Engine-only throughput: normalized events (parsed once, up front, from real evidence) through the rule
 * engine with the bundled pack plus SigmaHQ's Linux rules. Per-event latency is sampled with hrtime.
 * `select` keeps only some of the evidence's events (the process starts, for `engine-process`).
 */
export async function engineBench(
  paths: { rules: string[]; evidence: string[] },
  total = 300_000,
  options: { name?: string; select?: (event: SiemEvent) => boolean } = {},
): Promise<BenchResult> {
  const corpus = evidenceEvents(paths.evidence).filter(options.select ?? (() => true));
  return engineOver(options.name ?? 'engine', paths.rules, corpus, total);
}

/** The engine measurement over a given corpus of normalized events (`name` is the bench's name). */
export async function engineOver(
  name: string,
  rulePaths: string[],
  corpus: readonly SiemEvent[],
  total = 300_000,
): Promise<BenchResult> {
  const { rules, correlations, problems } = await loadRuleSet(rulePaths);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`rules with errors: ${errors.length}`);
  const engine = new DetectionEngine(rules, { correlations });
  if (corpus.length === 0) throw new Error('no evidence events to replay');

  // The corpus is replayed pass after pass with its times shifted forward, as a live stream would be:
  // time going backwards at each pass would keep correlation windows from ever expiring.
  const times = corpus.map((e) => Date.parse(e['@timestamp']));
  const span = Math.max(...times) - Math.min(...times) + 86_400_000;
  const replay = (from: number, count: number): SiemEvent[] => {
    const out: SiemEvent[] = new Array<SiemEvent>(count);
    for (let k = 0; k < count; k++) {
      const i = from + k;
      const pass = Math.floor(i / corpus.length);
      const at = i % corpus.length;
      out[k] = { ...corpus[at]!, '@timestamp': new Date(times[at]! + pass * span).toISOString() };
    }
    return out;
  };

  // warm-up: let the JIT settle before measuring
  for (const event of replay(0, 50_000)) engine.evaluate(event);

  const CHUNK = 10_000;
  const samples = new Float64Array(Math.ceil(total / 10));
  let sampled = 0;
  let matches = 0;
  let elapsed = 0n;
  let cpu = 0;
  for (let from = 0; from < total; from += CHUNK) {
    // copies are made outside the timed part: only rule evaluation is measured
    const chunk = replay(50_000 + from, Math.min(CHUNK, total - from));
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    for (let k = 0; k < chunk.length; k++) {
      if (k % 10 === 0) {
        const t0 = process.hrtime.bigint();
        matches += engine.evaluate(chunk[k]!).length;
        samples[sampled++] = Number(process.hrtime.bigint() - t0) / 1000;
      } else {
        matches += engine.evaluate(chunk[k]!).length;
      }
    }
    elapsed += process.hrtime.bigint() - start;
    const spent = process.cpuUsage(used);
    cpu += (spent.user + spent.system) / 1e6;
  }
  const seconds = Number(elapsed) / 1e9;
  const sorted = samples.subarray(0, sampled).sort();
  return {
    bench: name,
    events_per_s: Math.round(total / seconds),
    // other load on a shared machine stretches wall time; CPU time shows what evaluation itself costs
    events_per_cpu_s: Math.round(total / cpu),
    p50_us: round(sorted[Math.floor(sampled * 0.5)]!, 2),
    p99_us: round(sorted[Math.floor(sampled * 0.99)]!, 2),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    rules: rules.length,
    corpus_events: corpus.length,
    matches,
  };
}

/** Every file under the given paths, parsed with `auto` into events (web01 in its local zone). */
function evidenceEvents(paths: string[]): SiemEvent[] {
  const events: SiemEvent[] = [];
  const now = new Date();
  for (const file of paths.flatMap(listFiles)) {
    const text = readFileSync(file, 'utf8');
    const records = file.endsWith('.json') ? [text] : text.split('\n');
    for (const line of records) {
      if (!line.trim()) continue;
      const r = parseRecord(
        { text: line, origin: { type: 'file', path: file, line: 0 }, host: 'web01' },
        { timezone: 'Europe/Berlin', maxRecordBytes: 1 << 20 },
        now,
      );
      if (r.ok) events.push(...r.events);
    }
  }
  return events;
}

function listFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((e) => listFiles(join(path, e)));
}
