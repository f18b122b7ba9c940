import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { e2eBench } from './e2e.bench';
import { engineBench } from './engine.bench';

const REPO = resolve(__dirname, '..', '..');
/** SigmaHQ's Linux rules beside the repository (the compatibility suite), or SIGMA_RULES. */
const SIGMA = process.env.SIGMA_RULES ?? resolve(REPO, '..', 'shared', 'sigma-linux', 'rules');
const EVIDENCE = [resolve(REPO, 'samples'), resolve(REPO, '..', 'shared', 'corpus', 'loghub')];

/** `npm run bench [-- engine]`: one JSON line per measurement, human notes on stderr. */
async function main(which: string[]): Promise<void> {
  const all = which.length === 0;
  if (all || which.includes('engine')) {
    const rules = [resolve(REPO, 'detections')];
    if (existsSync(SIGMA)) rules.push(SIGMA);
    else process.stderr.write(`note: ${SIGMA} not found; engine bench runs the bundled rules only\n`);
    const result = await engineBench({ rules, evidence: EVIDENCE });
    process.stderr.write(
      `engine: ${result.events_per_s} events/s on one core, p50 ${result.p50_us} µs, p99 ${result.p99_us} µs, ` +
        `${result.rules} rules, target ≥ 150000 events/s\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
  if (all || which.includes('e2e')) {
    const brokers = process.env.KAFKA_BROKERS?.split(',');
    const url = process.env.ELASTICSEARCH_URL;
    if (!brokers || !url) {
      process.stderr.write(
        'e2e: skipped; set KAFKA_BROKERS and ELASTICSEARCH_URL (npm run stack:up gives both)\n',
      );
      return;
    }
    const evidence = [
      ...EVIDENCE.slice(1).map((d) => resolve(d, 'OpenSSH_2k.log')),
      resolve(REPO, 'samples', 'web01', 'auth.log'),
    ];
    const result = await e2eBench({
      repo: REPO,
      brokers,
      elasticsearchUrl: url,
      evidence,
      records: Number(process.env.BENCH_RECORDS ?? 200_000),
    });
    process.stderr.write(
      `e2e: ${result.events_per_s} records/s Kafka -> Elasticsearch with offsets committed, ` +
        `${result.records} records in ${result.seconds} s, peak RSS ${result.rss_mb} MB, target ≥ 25000 records/s\n`,
    );
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.message}\n`);
  process.exitCode = 1;
});
