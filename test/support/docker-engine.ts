import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CHECK_TIMEOUT_MS = 8_000;

/** What asking for a Docker engine found: where it answers, or why none does. */
export type EngineCheck = { readonly host: string } | { readonly reason: string };

/**
 * Whether a Docker (compatible) engine answers, the way Testcontainers finds one (DOCKER_HOST,
 * ~/.testcontainers.properties, the usual sockets); never waits longer than 8 s. Testcontainers is not even
 * loaded when nothing hints at an engine.
 */
export async function findDockerEngine(): Promise<EngineCheck> {
  const home = homedir();
  const hints = [
    process.env.DOCKER_HOST,
    process.env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE,
    existsSync(join(home, '.testcontainers.properties')) ? 'properties' : undefined,
    ...[
      '/var/run/docker.sock',
      process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'docker.sock') : '',
      process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, 'podman', 'podman.sock') : '',
      join(home, '.docker', 'run', 'docker.sock'),
      join(home, '.docker', 'desktop', 'docker.sock'),
    ].filter((p) => p !== '' && existsSync(p)),
  ].filter(Boolean);
  if (hints.length === 0) return { reason: 'no DOCKER_HOST and no Docker socket' };

  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
      timer.unref();
    });
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return { host: client.info.containerRuntime.host };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
