import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/**
 * Starting scan's parse workers (parse-worker.ts). A worker loads its code as soon as it is started and its
 * rules once it is given its setup, so it can be started before the command line is fully read: the CLI's
 * stub starts the workers a `scan --threads N` asks for before it loads the CLI's own 3 MB bundle (about
 * 70 ms of a core that was idle), and the parse stage takes them (worker-parse-stage.ts).
 *
 * This module loads nothing but Node's: the stub runs it outside the bundle, and the bundle has its own copy.
 * The two share the early workers through a global slot, not module state.
 */
export interface StartedParseWorker {
  readonly worker: Worker;
  /** requests and results go through it: results can be taken from it at once (`receiveMessageOnPort`) */
  readonly port: MessagePort;
  /** the worker has loaded its rules (or failed, or ended) */
  readonly started: Promise<void>;
  /** the error it ended with before a stage took it */
  failure?: Error;
}

/** What a stage gives a worker before anything else, on its parent port: `{ setup }`. */
export interface SetupMessage<Setup> {
  readonly setup: Setup;
}

/** Starts a parse worker; it waits for its setup (`{ setup }` on its parent port) before it loads rules. */
export function startParseWorker(): StartedParseWorker {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(join(__dirname, 'parse-worker.js'), {
    workerData: { port: port2 },
    transferList: [port2],
  });
  const started = new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  return { worker, port: port1, started };
}

const EARLY = Symbol.for('tuxwatch.earlyParseWorkers');
type Slot = { [EARLY]?: StartedParseWorker[] };

/**
 * The parse workers a scan runs beside this thread: `--threads` - 1, and none for `--emit events`. A worker
 * only saves this thread work by holding back the records no later stage needs; every event printed is
 * one this thread parses (or takes as a clone, which costs it more), so there the workers only add their
 * own parse and the transfer: 800,000 lines took 10.7 s and 500 MB with 2 threads, 7.8 s and 197 MB with 1.
 */
export function parseWorkers(options: { readonly threads?: number; readonly emit: string }): number {
  return options.emit === 'events' ? 0 : Math.max(0, (options.threads ?? 1) - 1);
}

/**
 * The parse workers a command line asks for (parseWorkers: N - 1 for `scan … --threads N`, none with
 * `--emit events`), none for any other. Read before commander reads the line, so only a guess: a wrong one
 * costs workers started and ended unused, or started later (by the stage), never a different run.
 * `--threads` is scan's own option, with a value of 1 to 99.
 */
export function requestedParseWorkers(argv: readonly string[]): number {
  if (argv[0] !== 'scan') return 0;
  let threads: string | undefined;
  let emit: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--threads') threads = argv[++i];
    else if (arg.startsWith('--threads=')) threads = arg.slice('--threads='.length);
    else if (arg === '--emit') emit = argv[++i];
    else if (arg.startsWith('--emit=')) emit = arg.slice('--emit='.length);
  }
  if (threads === undefined || !/^\d{1,2}$/.test(threads)) return 0;
  return parseWorkers({ threads: Number(threads), emit: emit ?? 'alerts' });
}

/**
 * How many of them to start before the command line is read: one per core beside this thread's at most.
 * More only compete for the cores while the CLI loads, and a command line that turns out to be a usage error
 * (`--threads 99 --min-severity dire`) started 98 workers, 2 GB and 4.5 s, for nothing; the stage starts
 * the rest as it always did.
 */
export function earlyParseWorkers(argv: readonly string[], cores: number): number {
  return Math.min(requestedParseWorkers(argv), Math.max(0, cores - 1));
}

/**
 * Starts the workers the command line asks for (earlyParseWorkers), to be taken by the parse stage. They do
 * not hold the process open until taken (a usage error still exits at once), and an error of theirs before
 * that is kept for the stage rather than thrown.
 */
export function startEarlyParseWorkers(argv: readonly string[]): void {
  const count = earlyParseWorkers(argv, availableParallelism());
  if (count === 0) return;
  (globalThis as Slot)[EARLY] = Array.from({ length: count }, () => {
    const started = startParseWorker();
    started.worker.unref();
    started.worker.once('error', (e) => (started.failure = e));
    return started;
  });
}

/**
 * `count` parse workers, waiting for their setup: those started early, as many as there are, and new ones
 * for the rest. Early workers beyond `count` are ended.
 */
export function takeParseWorkers(count: number): StartedParseWorker[] {
  const slot = globalThis as Slot;
  const early = slot[EARLY] ?? [];
  delete slot[EARLY];
  for (const unused of early.slice(count)) void unused.worker.terminate();
  const taken = early.slice(0, count);
  for (const w of taken) w.worker.ref();
  while (taken.length < count) taken.push(startParseWorker());
  return taken;
}
