/**
 * Global setup of the vitest "container" project (after test/global-setup.ts, which decides the Kafka and
 * Elasticsearch endpoints): builds the tuxwatch image from the repository's Dockerfile once per run, through
 * Testcontainers' engine client, and hands its name to the tests (inject key `tuxwatchImage`).
 *
 * - No engine answers: the suite is skipped with the reason, unless TUXWATCH_TEST_DOCKER=require (CI sets it:
 *   there a missing engine is a failure, not a skip).
 * - The base image: TUXWATCH_TEST_NODE_IMAGE, else the local stand-in `local/node:20-bookworm-slim` when the
 *   engine has it (../shared/tools/docker-engine.sh base-image), else the Dockerfile's default.
 * - The engine's layer cache is kept: a second run rebuilds only what changed (the sources, usually).
 * - Ryuk, Testcontainers' reaper, is off (TESTCONTAINERS_RYUK_DISABLED=true: its image cannot be pulled here);
 *   each test file removes its own containers in its teardown, and the image is kept for the next run's cache.
 * Run with DEBUG=testcontainers:build to see the build's output.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findDockerEngine } from '../support/docker-engine';

export const IMAGE_TAG = 'tuxwatch:container-test';
const STAND_IN_BASE = 'local/node:20-bookworm-slim';

function log(message: string): void {
  process.stderr.write(`[container-setup] ${message}\n`);
}

function git(root: string, ...args: string[]): string | undefined {
  try {
    return (
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: 'pipe' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** The origin as a URL (OCI's image.source is one): a clone of a local path becomes a file:// URL. */
function sourceUrl(origin: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(origin) || /^[\w.-]+@[\w.-]+:/.test(origin)
    ? origin
    : `file://${resolve(origin)}`;
}

export default async function setup(project: TestProject): Promise<void> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // The containers use the host's network (or none), never mapped ports, so their host is this machine's
  // loopback; without this Testcontainers asks the engine for its `bridge` network, which an engine started
  // with --bridge=none (../shared/tools/docker-engine.sh) does not have.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
  const root = project.config.root ?? process.cwd();
  const engine = await findDockerEngine();
  if ('reason' in engine) {
    if (process.env.TUXWATCH_TEST_DOCKER === 'require') {
      throw new Error(`TUXWATCH_TEST_DOCKER=require, but no Docker engine answers: ${engine.reason}`);
    }
    log(`no Docker engine (${engine.reason}): the container suite is skipped`);
    project.provide('tuxwatchImage', '');
    project.provide('containerSkipReason', `no Docker engine: ${engine.reason}`);
    return;
  }
  log(`Docker engine at ${engine.host}`);
  project.provide('tuxwatchImage', await buildImage(root));
  project.provide('containerSkipReason', '');
}

async function buildImage(root: string): Promise<string> {
  const { getContainerRuntimeClient, ImageName } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const docker = client.container.dockerode;

  const nodeImage =
    process.env.TUXWATCH_TEST_NODE_IMAGE ??
    ((await client.image.exists(ImageName.fromString(STAND_IN_BASE))) ? STAND_IN_BASE : undefined);
  const buildargs: Record<string, string> = {
    REVISION: git(root, 'rev-parse', 'HEAD') ?? 'unknown',
    SOURCE: sourceUrl(git(root, 'remote', 'get-url', 'origin') ?? resolve(root)),
    ...(nodeImage ? { NODE_IMAGE: nodeImage } : {}),
  };

  // A failed build leaves no new image, and Testcontainers' build does not report why: drop the old tag first
  // (keeping its layers, the cache), so that a failure cannot hide behind the previous run's image.
  await docker
    .getImage(IMAGE_TAG)
    .remove({ noprune: true })
    .catch(() => undefined);
  log(`building ${IMAGE_TAG} from ${root}/Dockerfile (${JSON.stringify(buildargs)})`);
  const started = Date.now();
  // Testcontainers' image client, not GenericContainer.fromDockerfile: the build needs the host network (npm ci
  // reaches the registry; this engine has no bridge) and fromDockerfile has no network option. Legacy builder
  // (version 1): BuildKit is not set up on this engine.
  await client.image.build(root, {
    t: IMAGE_TAG,
    dockerfile: 'Dockerfile',
    buildargs,
    networkmode: 'host',
    version: '1',
  });
  if (!(await client.image.exists(ImageName.fromString(IMAGE_TAG)))) {
    throw new Error(
      `building ${IMAGE_TAG} failed; run the suite with DEBUG=testcontainers:build to see the build output`,
    );
  }
  const info = await docker.getImage(IMAGE_TAG).inspect();
  log(
    `image built: ${IMAGE_TAG} in ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
      `${(info.Size / 1e6).toFixed(1)} MB, ${info.RootFS.Layers?.length ?? '?'} layers`,
  );
  return IMAGE_TAG;
}
