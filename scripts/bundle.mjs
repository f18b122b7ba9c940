// @ts-check
/**
 * `npm run build`'s last step: the two entry points a scan starts — dist/cli.js and the parse worker
 * dist/scan/parse-worker.js — are replaced by single-file bundles of what tsc wrote there. A process then
 * reads and compiles one file instead of resolving, stat-ing and compiling about 380 modules (300 again in
 * each worker): an empty scan took 0.45 s of CPU, bundled 0.25 s (README, "Performance").
 *
 * Everything else in dist/ stays as tsc wrote it. `serve` is not bundled: the CLI loads it at run time from
 * dist/serve (Nest, Kafka, Elasticsearch, pino: nothing a scan needs). Source maps are chained through tsc's,
 * so `node --enable-source-maps dist/cli.js` still names src/*.ts lines.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const DIST = resolve(import.meta.dirname, '..', 'dist');

/** Each entry, bundled in place. */
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
 * Modules find the package's files from their own directory (the rules in ../detections, the parsed-rule
 * cache beside the loader, the worker beside its stage). In a bundle every module shares the bundle's
 * __dirname, so each of ours gets back the directory tsc wrote it to.
 */
const ownDirname = (outfile) => ({
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (relative(DIST, args.path).startsWith('..')) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!/\b__dirname\b/.test(text)) return undefined;
      const rel = relative(dirname(outfile), dirname(args.path));
      const dir = rel === '' ? '__dirname' : `require("node:path").join(__dirname, ${JSON.stringify(rel)})`;
      return { contents: text.replace(/\b__dirname\b/g, dir), loader: 'js' };
    });
  },
});

for (const entry of ENTRIES) {
  const file = join(DIST, entry);
  await build({
    entryPoints: [file],
    outfile: file,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    sourcemap: true,
    // the source map names src/*.ts through tsc's maps; its paths stay relative to the bundle
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [ownDirname(file)],
  });
}
