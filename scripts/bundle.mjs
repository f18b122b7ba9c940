// @ts-check
/**
 * `npm run build`'s last step: the two entry points a scan starts — dist/cli.js and the parse worker
 * dist/scan/parse-worker.js — each become a single-file bundle of what tsc wrote there (NAME.bundle.js) and
 * a stub that runs it with V8's code cache (src/cli/bundle-runner.ts). A process then reads one file instead
 * of resolving, stat-ing and compiling about 380 modules (300 again in each worker), and takes the bytecode
 * of what a start runs from the cache instead of compiling it (README, "Benchmarks": start-up).
 *
 * Everything else in dist/ stays as tsc wrote it. `serve` is not bundled: the CLI loads it at run time from
 * dist/serve (Nest, Kafka, Elasticsearch, pino: nothing a scan needs). Source maps are chained through tsc's:
 * `node --enable-source-maps dist/cli.js` loads the bundle as a module and names src/*.ts lines.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';

const DIST = resolve(import.meta.dirname, '..', 'dist');

/** Each entry point, as tsc wrote it. */
const ENTRIES = ['cli.js', join('scan', 'parse-worker.js')];

/** Loaded at run time from dist/ and node_modules (the serve command and what only it, or collect --kafka, uses). */
const EXTERNAL = [
  './serve/serve.command',
  '@nestjs/*',
  '@elastic/elasticsearch',
  'kafkajs',
  'pino',
  'prom-client',
  'rxjs',
];

/**
 * What an entry's stub runs before it loads the bundle: the CLI starts the parse workers a `scan --threads N`
 * asks for (src/scan/parse-workers.ts), so that their start-up overlaps the bundle's load instead of
 * following it. The module it loads is tsc's, outside the bundle, and loads nothing but Node's.
 */
const EARLY = {
  'cli.js': [`require('./scan/parse-workers.js').startEarlyParseWorkers(process.argv.slice(2));`],
};

/** The first line of a stub: a second run of this script must not bundle a stub. */
const STUB_MARK = '// stub written by scripts/bundle.mjs';

/**
 * Modules find the package's files from their own directory (the rules in ../detections, the parsed-rule
 * cache beside the loader, the worker beside its stage). In a bundle every module shares the bundle's
 * __dirname, so each of ours gets back the directory tsc wrote it to.
 */
const ownDirname = (outfile) => ({
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (relative(DIST, args.path).startsWith('..')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!/\b__dirname\b/.test(text)) return undefined;
      const rel = relative(dirname(outfile), dirname(args.path));
      const dir = rel === '' ? '__dirname' : `require("node:path").join(__dirname, ${JSON.stringify(rel)})`;
      return { contents: text.replace(/\b__dirname\b/g, dir), loader: 'js' };
    });
  },
});

for (const entry of ENTRIES) {
  const file = join(DIST, entry);
  const source = readFileSync(file, 'utf8');
  if (source.includes(STUB_MARK)) throw new Error(`${file} is already a stub: run tsc (npm run build) first`);
  const bundle = file.replace(/\.js$/, '.bundle.js');
  await build({
    entryPoints: [file],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    sourcemap: true,
    // the source map names src/*.ts through tsc's maps; its paths stay relative to the bundle
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [ownDirname(bundle)],
  });
  // the runner compiles the bundle as a function body, where `#!` is no comment: keep the line, as one
  const text = readFileSync(bundle, 'utf8').replace(/^#!/, '//');
  writeFileSync(bundle, text);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const name = basename(bundle, '.js');
  for (const old of readdirSync(dirname(bundle)))
    if (old.startsWith(`${name}.`) && old.endsWith('.v8cache')) rmSync(join(dirname(bundle), old));
  // tsc's map of the entry maps what is now the bundle (which has its own)
  rmSync(`${file}.map`, { force: true });
  const runner = relative(dirname(file), join(DIST, 'cli', 'bundle-runner.js'));
  writeFileSync(
    file,
    [
      ...(source.startsWith('#!') ? ['#!/usr/bin/env node'] : []),
      STUB_MARK,
      `const { join } = require('node:path');`,
      ...(EARLY[entry] ?? []),
      `require(${JSON.stringify('./' + runner)}).runBundle(`,
      `  join(__dirname, ${JSON.stringify(basename(bundle))}),`,
      `  join(__dirname, ${JSON.stringify(`${name}.${hash}.v8cache`)}),`,
      `);`,
      '',
    ].join('\n'),
  );
  // the CLI's stub is package.json's `bin`, run by its `#!` line (`npx tuxwatch`): tsc writes files without the
  // execute bit, so a fresh clone's stub had none
  if (source.startsWith('#!')) chmodSync(file, 0o755);
}

// The caches: one start of each bundle — a scan of an empty file with a parse worker — compiles what a start
// runs; each bundle's runner writes its cache (bundle-runner.ts, WRITE_ENV)
const scratch = mkdtempSync(join(tmpdir(), 'tuxwatch-code-cache-'));
try {
  const empty = join(scratch, 'empty.log');
  writeFileSync(empty, '');
  const run = spawnSync(
    process.execPath,
    [join(DIST, 'cli.js'), 'scan', '--threads', '2', '--format', 'ndjson', empty],
    { env: { ...process.env, TUXWATCH_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`the start that makes the code caches failed: ${run.stderr}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
for (const entry of ENTRIES) {
  const dir = dirname(join(DIST, entry));
  const name = basename(entry, '.js');
  if (!readdirSync(dir).some((f) => f.startsWith(`${name}.bundle.`) && f.endsWith('.v8cache')))
    throw new Error(`no code cache was written for ${entry}`);
}
