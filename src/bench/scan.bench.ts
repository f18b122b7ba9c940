import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './bench-result';
import { ReplayStream } from './replay-stream';

export interface ScanBenchOptions {
  readonly cli: string;
  /** real syslog files replayed into the input */
  readonly evidence: readonly string[];
  readonly lines: number;
  readonly threads: readonly number[];
}

/**
 * `tuxwatch scan` end to end, as a responder runs it: a syslog file of `lines` real log lines (the corpus
 * replayed pass after pass, each pass later in time — ReplayStream) is scanned by the built CLI as a child
 * process, NDJSON to /dev/null. Timed from spawn to exit, start-up and rule loading included; peak RSS of
 * the process sampled from /proc, and the CPU time it used (user + system, all its threads): on a machine
 * others load too, that is the figure the load moves least. One measurement per thread count (`--threads`).
 */
export async function scanBench(o: ScanBenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-bench-scan-'));
  const file = join(dir, `syslog-${o.lines}.log`);
  try {
    await writeReplay(file, new ReplayStream(o.evidence), o.lines);
    const out: BenchResult[] = [];
    for (const threads of o.threads) out.push(await timeScan(o.cli, file, o.lines, threads));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timeScan(cli: string, file: string, lines: number, threads: number): Promise<BenchResult> {
  const load = loadavg()[0]!;
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [cli, 'scan', '--format', 'ndjson', '--threads', String(threads), file],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 50);
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scan exited ${code}: ${stderr.slice(-500)}`)),
    );
  }).finally(() => clearInterval(sample));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = childrenCpuSeconds() - cpuBefore;
  return {
    bench: 'scan',
    events_per_s: Math.round(lines / seconds),
    rss_mb: Math.round(peak),
    threads,
    lines,
    seconds: Math.round(seconds * 1000) / 1000,
    cpu_s: Math.round(cpu * 100) / 100,
    lines_per_cpu_s: cpu > 0 ? Math.round(lines / cpu) : undefined,
    cores: cpus().length,
    load_avg_1m: Math.round(load * 100) / 100,
  };
}

async function writeReplay(file: string, stream: ReplayStream, lines: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < lines; i++) {
    if (!out.write(stream.line(i) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/**
 * User + system seconds of this process's children that have ended (`cutime` + `cstime` of /proc/self/stat,
 * filled in when a child is reaped): the scan's own CPU time, every thread of it, to a clock tick.
 */
function childrenCpuSeconds(): number {
  // the command name (field 2) may hold spaces: count fields from after its closing parenthesis
  const fields = readFileSync('/proc/self/stat', 'utf8').split(')').pop()!.trim().split(' ');
  // fields[0] is the state (field 3); cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux architecture tuxwatch runs on (sysconf(_SC_CLK_TCK)). */
const CLOCK_TICKS = 100;

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}
