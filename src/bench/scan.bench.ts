import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { round, type BenchResult } from './bench-result';
import { ReplayStream } from './replay-stream';

export interface ScanBenchOptions {
  readonly cli: string;
  /** real syslog files replayed into the input */
  readonly evidence: readonly string[];
  readonly lines: number;
  readonly threads: readonly number[];
  /** measurements per thread count, interleaved: the figure is their median */
  readonly runs: number;
}

/**
 * `tuxwatch scan` end to end, as a responder runs it: a syslog file of `lines` real log lines (the corpus
 * replayed pass after pass, each pass later in time — ReplayStream) is scanned by the built CLI as a child
 * process, NDJSON to /dev/null. Timed from spawn to exit, start-up and rule loading included; peak RSS of
 * the process sampled from /proc, and the CPU time it used (user + system, all its threads): on a machine
 * others load too, that is the figure the load moves least. Each thread count (`--threads`) is measured
 * `runs` times, the counts taking turns, and reported by the median run: on this shared 2-core VM one run of
 * the same build varies by a tenth or more from the next, with the host's load.
 */
export async function scanBench(o: ScanBenchOptions): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-bench-scan-'));
  const file = join(dir, `syslog-${o.lines}.log`);
  try {
    await writeReplay(file, new ReplayStream(o.evidence), o.lines);
    const samples = new Map<number, Sample[]>(o.threads.map((t) => [t, []]));
    for (let run = 0; run < o.runs; run++)
      for (const threads of o.threads) samples.get(threads)!.push(await timeScan(o.cli, file, threads));
    return o.threads.map((threads) => summary(samples.get(threads)!, o.lines, threads));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One run: wall and CPU seconds, peak RSS, the load average when it started. */
interface Sample {
  readonly seconds: number;
  readonly cpu: number;
  readonly rssMb: number;
  readonly load: number;
}

async function timeScan(cli: string, file: string, threads: number): Promise<Sample> {
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
  return { seconds, cpu: childrenCpuSeconds() - cpuBefore, rssMb: peak, load };
}

/** The runs of one thread count as one result: the median run's speed, the spread of all of them. */
function summary(samples: readonly Sample[], lines: number, threads: number): BenchResult {
  const median = (xs: readonly number[]): number => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const seconds = median(samples.map((s) => s.seconds));
  const cpu = median(samples.map((s) => s.cpu));
  const times = samples.map((s) => s.seconds);
  return {
    bench: 'scan',
    events_per_s: Math.round(lines / seconds),
    rss_mb: Math.round(Math.max(...samples.map((s) => s.rssMb))),
    threads,
    lines,
    runs: samples.length,
    seconds: round(seconds, 3),
    seconds_min: round(Math.min(...times), 3),
    seconds_max: round(Math.max(...times), 3),
    cpu_s: round(cpu, 2),
    lines_per_cpu_s: cpu > 0 ? Math.round(lines / cpu) : undefined,
    cores: cpus().length,
    load_avg_1m: round(median(samples.map((s) => s.load)), 2),
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
