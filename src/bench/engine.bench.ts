import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SiemEvent } from '../domain/event';
import { DetectionEngine, loadRuleSet } from '../detect/engine';
import { parseRecord } from '../parse/parse-record';
import type { BenchResult } from './bench-result';

/**
 * Engine-only throughput: normalized events (parsed once, up front, from real evidence) through the rule
 * engine with the bundled pack plus SigmaHQ's Linux rules. Per-event latency is sampled with hrtime.
 */
export async function engineBench(
  paths: { rules: string[]; evidence: string[] },
  total = 300_000,
): Promise<BenchResult> {
  const { rules, correlations, problems } = await loadRuleSet(paths.rules);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`rules with errors: ${errors.length}`);
  const engine = new DetectionEngine(rules, { correlations });
  const corpus = evidenceEvents(paths.evidence);
  if (corpus.length === 0) throw new Error('no evidence events to replay');

  // warm-up: let the JIT settle before measuring
  for (let i = 0; i < 50_000; i++) engine.evaluate(corpus[i % corpus.length]!);

  const samples = new Float64Array(Math.ceil(total / 10));
  let sampled = 0;
  let matches = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const event = corpus[i % corpus.length]!;
    if (i % 10 === 0) {
      const t0 = process.hrtime.bigint();
      matches += engine.evaluate(event).length;
      samples[sampled++] = Number(process.hrtime.bigint() - t0) / 1000;
    } else {
      matches += engine.evaluate(event).length;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const sorted = samples.subarray(0, sampled).sort();
  return {
    bench: 'engine',
    events_per_s: Math.round(total / seconds),
    p50_us: round(sorted[Math.floor(sampled * 0.5)]!),
    p99_us: round(sorted[Math.floor(sampled * 0.99)]!),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
    rules: rules.length,
    corpus_events: corpus.length,
    matches,
  };
}

const round = (v: number): number => Math.round(v * 100) / 100;

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
