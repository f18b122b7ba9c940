import { readdir, stat } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';

/** Inputs smaller than this finish before a bar would tell anything. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;

export interface ScanProgress {
  /** records and bytes read so far */
  update(records: number, bytes: number): void;
  stop(): void;
}

const NONE: ScanProgress = { update: () => undefined, stop: () => undefined };

/**
 * Whether a bar may be drawn: stderr is a terminal that can redraw a line, and not a CI job's. Some CI
 * services run each command in a pseudo-terminal and keep what it prints as the job's log (Buildkite does by
 * default): there a bar redrawn five times a second would be hundreds of lines of noise. They set `CI`, as
 * GitHub Actions, GitLab and the rest do; `TERM=dumb` (Emacs' shell, some editors' consoles) cannot redraw.
 */
export function progressAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return (
    stream.isTTY === true && env.TERM !== 'dumb' && (ci === undefined || ['', '0', 'false'].includes(ci))
  );
}

/**
 * A progress bar on stderr — bytes read of the total, records/s, ETA — only when stderr is a terminal
 * (progressAllowed) and the inputs are large: never in a pipe, a file or a CI log, where it would be noise.
 * The total is the size of the regular files given (stdin and FIFOs have none: no bar).
 */
export async function scanProgress(
  paths: readonly string[],
  stream: NodeJS.WriteStream = process.stderr,
  minBytes = PROGRESS_MIN_BYTES,
): Promise<ScanProgress> {
  if (!progressAllowed(stream)) return NONE;
  const total = await totalBytes(paths);
  if (total === undefined || total < minBytes) return NONE;
  const started = Date.now();
  const bar = new SingleBar({
    stream,
    format: ' {bar} {percentage}% | {done} of {size} MB | {rate} records/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  });
  const mb = (n: number) => (n / 2 ** 20).toFixed(0);
  bar.start(total, 0, { done: '0', size: mb(total), rate: '0' });
  return {
    update(records, bytes) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(bytes, total), { done: mb(bytes), rate: Math.round(records / seconds) });
    },
    stop: () => bar.stop(),
  };
}

/** The size of every regular file under the paths, or undefined when one is a stream. */
async function totalBytes(paths: readonly string[]): Promise<number | undefined> {
  let total = 0;
  for (const path of paths) {
    if (path === '-') return undefined;
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isFile()) total += info.size;
    else if (info.isDirectory()) total += await directoryBytes(path);
    else return undefined;
  }
  return total;
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const info = await stat(`${entry.parentPath}/${entry.name}`).catch(() => undefined);
    total += info?.size ?? 0;
  }
  return total;
}
