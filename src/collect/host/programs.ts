import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export interface ProgramResult {
  /** exit code, or null when it was killed */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** stdout was longer than the bound and was cut */
  readonly truncated: boolean;
}

export interface RunOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** stops the program early (it is killed; the result says timedOut) */
  readonly signal?: AbortSignal;
}

/**
 * Runs the few helper programs a sweep needs (dpkg --verify, rpm -Va, timedatectl, chronyc): by absolute
 * path from the standard directories, never through a shell, in the C locale (their wording is parsed),
 * with stdin closed, output bounded and a timeout after which the program is killed. Each is one that
 * only reads (their locking is described where they are used).
 */
export class ProgramRunner {
  private static readonly DIRS = ['/usr/bin', '/usr/sbin', '/bin', '/sbin'];

  /** The program's path, or undefined when the host does not have it. */
  find(name: string): string | undefined {
    for (const dir of ProgramRunner.DIRS) {
      const path = `${dir}/${name}`;
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  }

  run(path: string, args: readonly string[], options: RunOptions): Promise<ProgramResult> {
    return new Promise((resolve) => {
      const child = spawn(path, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: ProgramRunner.DIRS.join(':'), LC_ALL: 'C', LANG: 'C' },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      let truncated = false;
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => {
        if (outBytes >= options.maxBytes) {
          truncated = true;
          return;
        }
        out.push(chunk);
        outBytes += chunk.length;
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (errBytes < 64 * 1024) err.push(chunk);
        errBytes += chunk.length;
      });
      const stop = (): void => {
        timedOut = true;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(stop, options.timeoutMs);
      options.signal?.addEventListener('abort', stop, { once: true });
      const finish = (code: number | null, spawnError?: Error): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', stop);
        const stdout = Buffer.concat(out).subarray(0, options.maxBytes).toString('utf8');
        const stderr = spawnError ? spawnError.message : Buffer.concat(err).toString('utf8');
        resolve({ code, stdout, stderr, timedOut, truncated: truncated || outBytes > options.maxBytes });
      };
      child.on('error', (e) => finish(null, e));
      child.on('close', (code) => finish(code));
    });
  }
}
