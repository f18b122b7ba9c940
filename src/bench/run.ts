import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`bench failed: ${e.message}\n`);
  process.exitCode = 1;
});
