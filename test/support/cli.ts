import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const CLI = resolve(REPO, 'dist', 'cli.js');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI (`npm test` builds first) as a user would. Colour settings of the caller's terminal
 * (NO_COLOR, FORCE_COLOR) are not passed on; `env` adds variables.
 */
export function tuxwatch(args: string[], input?: string, env: Record<string, string> = {}): CliRun {
  const inherited = { ...process.env };
  delete inherited.NO_COLOR;
  delete inherited.FORCE_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    input,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...inherited, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const ndjson = <T = Record<string, unknown>>(text: string): T[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
