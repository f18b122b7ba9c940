import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { isMainThread, parentPort } from 'node:worker_threads';
import { constants, Script } from 'node:vm';

/**
 * The build's start-up path (scripts/bundle.mjs): dist/cli.js and the parse worker are stubs that run their
 * bundle through here, with V8's code cache for it. Compiling the 3 MB bundle and the functions a start runs
 * is most of what is left of a cold start once modules need no resolving; the cache holds their bytecode, made
 * at build time by a run of the CLI (WRITE_ENV).
 *
 * V8 takes a cache only when it was made by the same V8 with the same flags for a source of the same length,
 * and rejects it otherwise (the bundle is then compiled as usual). The build names the cache after the bundle's
 * hash, so a rebuilt bundle never meets an old cache.
 */
export interface BundleRun {
  /** whether V8 refused the cache (or there was none): the bundle was compiled from source */
  readonly cacheRejected: boolean;
}

/** Set by the build: the run writes the cache of each bundle it starts (the CLI's at exit, a worker's when it has started). */
export const WRITE_ENV = 'TUXWATCH_WRITE_CODE_CACHE';

export function runBundle(bundle: string, cache: string): BundleRun {
  // Node maps stack traces through source maps only for modules it loads itself: with
  // --enable-source-maps the bundle is loaded as one, and its traces name src/*.ts lines
  if (process.sourceMapsEnabled) {
    createRequire(bundle)(bundle);
    return { cacheRejected: true };
  }
  const source = readFileSync(bundle, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // no cache (a build that did not make one): compiled from source
  }
  const script = new Script(Module.wrap(source), {
    filename: bundle,
    ...(cachedData && { cachedData }),
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (process.env[WRITE_ENV]) writeWhenStarted(script, cache);
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  return { cacheRejected: script.cachedDataRejected !== false };
}

/**
 * The cache holds what was compiled when it is made. The CLI makes it at exit; a worker, which is terminated
 * rather than left to exit, when it first posts to its parent (a parse worker does so once it is ready).
 */
function writeWhenStarted(script: Script, cache: string): void {
  const write = () => {
    writeFileSync(`${cache}.tmp`, script.createCachedData());
    renameSync(`${cache}.tmp`, cache);
  };
  if (isMainThread || parentPort === null) {
    process.once('exit', write);
    return;
  }
  const port = parentPort;
  const post = port.postMessage.bind(port);
  port.postMessage = (...args: Parameters<typeof post>) => {
    port.postMessage = post;
    write();
    post(...args);
  };
}
