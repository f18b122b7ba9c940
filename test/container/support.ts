/**
 * What the container tests share: the image built by ./global-setup.ts, containers started the way the README
 * tells operators to run the service (host network, read-only root, no capabilities, no new privileges, user
 * 10001), and the engine's own view of a container (exit code, health) through Testcontainers' client.
 */
import {
  GenericContainer,
  getContainerRuntimeClient,
  StartupCheckStrategy,
  Wait,
  type StartedTestContainer,
  type StartupStatus,
} from 'testcontainers';
import { describe, inject } from 'vitest';
import { freePort } from '../support/free-port';
import type { Scenario } from '../support/scenario';
import { serviceEnv } from '../support/scenario';

// as in ./global-setup.ts: no Ryuk (every test file removes its containers in its own teardown), and the
// containers' host is this machine's loopback
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';

/** The image under test ('' when no Docker engine answers, and the suite is skipped). */
export const IMAGE = inject('tuxwatchImage');

/** `describe`, skipped with the reason when there is no engine (never in CI: TUXWATCH_TEST_DOCKER=require). */
export const describeImage: typeof describe = IMAGE
  ? describe
  : (describe.skip as unknown as typeof describe);
if (!IMAGE) process.stderr.write(`container suite skipped: ${inject('containerSkipReason')}\n`);

/** GenericContainer with the one hardening flag Testcontainers has no method for. */
export class TuxwatchContainer extends GenericContainer {
  constructor(image: string = IMAGE) {
    super(image);
  }

  withReadOnlyRootFilesystem(): this {
    this.hostConfig.ReadonlyRootfs = true;
    return this;
  }

  /** `--network host --read-only --cap-drop ALL --security-opt no-new-privileges --user 10001` */
  hardened(): this {
    return this.withNetworkMode('host')
      .withReadOnlyRootFilesystem()
      .withDroppedCapabilities('ALL')
      .withSecurityOpt('no-new-privileges')
      .withUser('10001');
  }
}

/** A running `tuxwatch serve` container and the port of its health and metrics server. */
export interface ServeContainer {
  readonly container: StartedTestContainer;
  readonly httpPort: number;
}

/**
 * Starts `serve` hardened, on the host network, for a scenario's topic, group and alert indices; returns once
 * the process has started its HTTP server (it logs `healthPort`). The state topic is the group's own.
 */
export async function startServe(s: Scenario, extra: Record<string, string> = {}): Promise<ServeContainer> {
  const httpPort = await freePort();
  const container = await new TuxwatchContainer()
    .hardened()
    .withEnvironment({
      ...serviceEnv(s),
      KAFKA_STATE_TOPIC: `${s.groupId}.state`,
      // a killed member's partitions move to its successor after this long
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      TUXWATCH_HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'info',
      ...extra,
    })
    .withWaitStrategy(Wait.forLogMessage(/"healthPort":\d+/))
    .withStartupTimeout(60_000)
    .start();
  return { container, httpPort };
}

/** The engine's record of a container: state, exit code, health, whether it was OOM-killed. */
export async function inspect(id: string) {
  const client = await getContainerRuntimeClient();
  return client.container.inspect(client.container.getById(id));
}

/** Sends a signal to the container's main process (`docker kill --signal`). */
export async function signal(id: string, sig: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container.getById(id).kill({ signal: sig });
}

/** Everything the container wrote to stdout and stderr so far (for assertions and failure messages). */
export async function logsOf(id: string): Promise<string> {
  const client = await getContainerRuntimeClient();
  const raw = await client.container.getById(id).logs({ stdout: true, stderr: true, follow: false });
  return demux(raw);
}

/** Docker's multiplexed log stream (8-byte frame headers) as text. */
function demux(raw: Buffer): string {
  let out = '';
  for (let i = 0; i + 8 <= raw.length;) {
    const size = raw.readUInt32BE(i + 4);
    out += raw.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

/** Removes a container whatever its state (test clean-up). */
export async function removeContainer(id: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  await client.container
    .getById(id)
    .remove({ force: true, v: true })
    .catch(() => undefined);
}

/** Started once the container has exited, whatever its exit code (Wait.forOneShotStartup fails on non-zero). */
class Exited extends StartupCheckStrategy {
  async checkStartupState(
    docker: Parameters<StartupCheckStrategy['checkStartupState']>[0],
    id: string,
  ): Promise<StartupStatus> {
    const { State } = await docker.getContainer(id).inspect();
    return State.Running || State.Restarting ? 'PENDING' : 'SUCCESS';
  }
}

/**
 * Runs the image once to completion — no network, read-only root, no capabilities, no new privileges, the
 * image's own user — and returns its exit code and everything it wrote (stdout and stderr interleaved).
 */
export async function runToExit(
  command: string[],
  configure: (c: TuxwatchContainer) => TuxwatchContainer = (c) => c,
): Promise<{ code: number; output: string }> {
  const container = await configure(
    new TuxwatchContainer()
      .withNetworkMode('none')
      .withReadOnlyRootFilesystem()
      .withDroppedCapabilities('ALL')
      .withSecurityOpt('no-new-privileges')
      .withCommand(command)
      .withWaitStrategy(new Exited())
      .withStartupTimeout(60_000),
  ).start();
  const id = container.getId();
  try {
    return { code: (await inspect(id)).State.ExitCode, output: await logsOf(id) };
  } finally {
    await removeContainer(id);
  }
}

/** GET on the container's health and metrics server (on the host's loopback: the container shares its network). */
export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.text() };
}

/** Sum of a Prometheus counter over all its label sets, from a /metrics text. */
export function counterTotal(metrics: string, name: string): number {
  let total = 0;
  for (const line of metrics.split('\n')) {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}
