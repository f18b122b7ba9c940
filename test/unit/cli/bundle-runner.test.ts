import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRITE_ENV } from '../../../src/cli/bundle-runner';
import { REPO } from '../../support/cli';

/** The built runner (`npm test` builds first): the cache must be V8's own, made by a plain `node`. */
const RUNNER = join(REPO, 'dist', 'cli', 'bundle-runner.js');

/**
 * Runs `bundle` through the built runner in a fresh `node`, as the stubs do; prints what the run reports.
 * `env` adds variables.
 */
function run(bundle: string, cache: string, env: Record<string, string> = {}) {
  const script = `const r = require(${JSON.stringify(RUNNER)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
process.stderr.write(JSON.stringify(r));`;
  const env0 = { ...process.env };
  delete env0[WRITE_ENV];
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...env0, ...env } });
  return { status: r.status, stdout: r.stdout, report: r.status === 0 ? JSON.parse(r.stderr) : r.stderr };
}

describe('a bundle run with its code cache', () => {
  let dir: string;
  let bundle: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tuxwatch-bundle-runner-'));
    bundle = join(dir, 'app.bundle.js');
    cache = join(dir, 'app.bundle.0123.v8cache');
    // a module of the bundle's: requires beside itself and from node_modules, names its file and directory
    writeFileSync(join(dir, 'beside.js'), 'module.exports = 41;');
    writeFileSync(
      bundle,
      [
        '// #!/usr/bin/env node (a bundle keeps the line as a comment)',
        "const path = require('node:path');",
        'const self = module.exports === exports && this === exports;',
        "const beside = require('./beside');",
        'function answer(n) { return n + 1; }',
        'module.exports = { answer };',
        'process.stdout.write(JSON.stringify({ answer: answer(beside), file: __filename, dir: __dirname, ' +
          'self, join: path.join("a", "b") }));',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const expected = () => ({ answer: 42, file: bundle, dir, self: true, join: join('a', 'b') });

  it('runs as a module of its own file with no cache, and says it compiled from source', () => {
    const r = run(bundle, cache);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected());
    expect(r.report).toEqual({ cacheRejected: true });
    expect(existsSync(cache)).toBe(false);
  });

  it('writes the cache at exit when the build asks, and the next run takes it', () => {
    expect(run(bundle, cache, { [WRITE_ENV]: '1' }).status).toBe(0);
    expect(readFileSync(cache).length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = run(bundle, cache);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(expected());
    expect(again.report).toEqual({ cacheRejected: false });
  });

  it('a damaged cache is refused, and the bundle runs from source', () => {
    expect(run(bundle, cache, { [WRITE_ENV]: '1' }).status).toBe(0);
    const damaged = readFileSync(cache);
    damaged.fill(0x5a, 0, 64);
    writeFileSync(cache, damaged);
    const r = run(bundle, cache);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected());
    expect(r.report).toEqual({ cacheRejected: true });
  });

  it("a worker's cache is written when it first posts to its parent, even if it is then terminated", () => {
    const worker = join(dir, 'worker.bundle.js');
    const workerCache = join(dir, 'worker.bundle.0123.v8cache');
    writeFileSync(
      worker,
      "const { parentPort } = require('node:worker_threads');\n" +
        'parentPort.postMessage({ ready: true });\nsetInterval(() => {}, 1000);',
    );
    const stub = join(dir, 'worker.js');
    writeFileSync(
      stub,
      `require(${JSON.stringify(RUNNER)}).runBundle(${JSON.stringify(worker)}, ${JSON.stringify(workerCache)});`,
    );
    const main = `const { Worker } = require('node:worker_threads');
const w = new Worker(${JSON.stringify(stub)});
w.once('message', (m) => { process.stdout.write(JSON.stringify(m)); void w.terminate(); });`;
    const r = spawnSync(process.execPath, ['-e', main], {
      encoding: 'utf8',
      env: { ...process.env, [WRITE_ENV]: '1' },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ready: true });
    expect(readFileSync(workerCache).length).toBeGreaterThan(0);
  });
});

describe('the built CLI', () => {
  it("has a code cache for each bundle that a plain node takes (start-up: README's Benchmarks)", () => {
    const vmCheck = `const vm = require('node:vm'), fs = require('node:fs'), Module = require('node:module');
const out = {};
for (const [bundle, cache] of JSON.parse(process.argv[1])) {
  const s = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: fs.readFileSync(cache) });
  out[bundle] = s.cachedDataRejected;
}
process.stdout.write(JSON.stringify(out));`;
    const pairs = ['cli.js', join('scan', 'parse-worker.js')].map((entry) => {
      const stub = readFileSync(join(REPO, 'dist', entry), 'utf8');
      const names = [...stub.matchAll(/join\(__dirname, "([^"]+)"\)/g)].map((m) => m[1]!);
      expect(names, `${entry} names its bundle and cache`).toHaveLength(2);
      const dir = join(REPO, 'dist', entry, '..');
      return [join(dir, names[0]!), join(dir, names[1]!)];
    });
    const r = spawnSync(process.execPath, ['-e', vmCheck, JSON.stringify(pairs)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Object.values(JSON.parse(r.stdout))).toEqual([false, false]);
  });

  it("is package.json's bin, and runs as one: executable, by its #! line (npx tuxwatch on a fresh clone)", () => {
    const bin = (
      JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { bin: { tuxwatch: string } }
    ).bin.tuxwatch;
    const r = spawnSync(join(REPO, bin), ['--help'], { encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toContain('Usage: tuxwatch');
  });
});
