import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ObservedRecord } from '../ingest/files/file-records';
import type { RawRecord } from '../domain/raw-record';
import type { ParseDefaults } from '../parse/parse-record';
import type { ParsedBatch, ParseStage } from './parse-stage';
import {
  BatchParser,
  type Unseen,
  type WorkerSetup,
  type WorkRequest,
  type WorkResult,
} from './batch-parser';

/** batches in flight per worker: one being parsed, one waiting, so a worker never idles on the main thread */
const IN_FLIGHT_PER_WORKER = 4;

interface Pending {
  readonly batch: readonly ObservedRecord[];
  readonly result: Promise<WorkResult>;
  /** the result is in: taking it will not wait */
  done: boolean;
}

/**
 * Parsing on worker threads. Batches go round-robin to the workers and come back in the order they were
 * read, whatever order the workers finish in: the stateful stages after parse see the same sequence as
 * with one thread. Events the workers only counted arrive as `unseen` with each batch. When every worker
 * is busy and the next result is not in, this thread parses the next batch itself (the same BatchParser)
 * rather than wait: the stateful stages leave it idle a good part of the time.
 */
export class WorkerParseStage implements ParseStage {
  private readonly workers: Worker[];
  private readonly waiting = new Map<
    number,
    { resolve: (r: WorkResult) => void; reject: (e: Error) => void }
  >();
  private readonly ready: Promise<unknown>;
  private seq = 0;
  private failure?: Error;
  private readonly maxRecordBytes: number;
  private readonly setup: WorkerSetup;
  /** this thread's own parser, made the first time it helps */
  private local?: Promise<BatchParser>;

  constructor(threads: number, setup: WorkerSetup) {
    const plain: WorkerSetup = { ...setup, defaults: plainDefaults(setup.defaults) };
    this.setup = plain;
    this.maxRecordBytes = setup.defaults.maxRecordBytes;
    this.workers = Array.from(
      { length: threads },
      () => new Worker(join(__dirname, 'parse-worker.js'), { workerData: plain }),
    );
    this.ready = Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.on('message', (m: WorkResult | { ready: true }) => {
              if ('ready' in m) return resolve();
              const waiter = this.waiting.get(m.seq);
              this.waiting.delete(m.seq);
              waiter?.resolve(m);
            });
          }),
      ),
    );
    for (const w of this.workers)
      w.on('error', (e) => {
        this.failure = e;
        for (const waiter of this.waiting.values()) waiter.reject(e);
        this.waiting.clear();
      });
  }

  async *run(batches: AsyncIterable<readonly ObservedRecord[]>): AsyncIterable<ParsedBatch> {
    await this.ready;
    const pending: Pending[] = [];
    const limit = this.workers.length * IN_FLIGHT_PER_WORKER;
    for await (const batch of batches) {
      const busy = pending.length >= limit && !pending[0]!.done;
      pending.push(this.pending(batch, busy ? this.parseHere(batch) : this.send(batch)));
      // results that are in go on at once; past twice the limit, wait for the oldest (memory stays bounded)
      while (pending.length >= limit && (pending[0]!.done || pending.length >= 2 * limit))
        yield await this.take(pending.shift()!);
    }
    while (pending.length > 0) yield await this.take(pending.shift()!);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pending(batch: readonly ObservedRecord[], result: Promise<WorkResult>): Pending {
    const p: Pending = { batch, result, done: false };
    // a failure is seen when the batch is taken; this only marks when taking it would not wait
    result.then(
      () => (p.done = true),
      () => (p.done = true),
    );
    return p;
  }

  private async parseHere(batch: readonly ObservedRecord[]): Promise<WorkResult> {
    this.local ??= BatchParser.create(this.setup);
    return (await this.local).parse(this.request(this.seq++, batch));
  }

  private send(batch: readonly ObservedRecord[]): Promise<WorkResult> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    const request = this.request(seq, batch);
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.workers[seq % this.workers.length]!.postMessage(request);
    });
  }

  /** A batch as a worker takes it: the texts, the hints they share, and the few records that carry more. */
  private request(seq: number, batch: readonly ObservedRecord[]): WorkRequest {
    const first = batch[0]!.record;
    const special: Record<number, RawRecord> = {};
    batch.forEach(({ record }, i) => {
      // the rest are their text: parsers read nothing else, and the size check only needs `bytes` when over
      const oversize = (record.bytes ?? 0) > this.maxRecordBytes;
      if (record.base64 !== undefined || record.truncated === true || oversize || record.kind !== first.kind)
        special[i] = record;
    });
    return {
      seq,
      texts: batch.map((r) => r.record.text),
      hints: {
        kind: first.kind,
        host: first.host,
        timezone: first.timezone,
        sourceTimezone: first.sourceTimezone,
      },
      special,
      observedAt: batch[0]!.observedAt.getTime(),
    };
  }

  private async take({ batch, result }: Pending): Promise<ParsedBatch & { unseen: Unseen }> {
    const r = await result;
    return { batch, results: r.results.map((x) => (x === null ? undefined : x)), unseen: r.unseen };
  }
}

/** The defaults as data: functions (a per-host zone lookup) cannot cross to a worker, and scan has none. */
function plainDefaults(d: ParseDefaults): ParseDefaults {
  return { timezone: d.timezone, year: d.year, host: d.host, maxRecordBytes: d.maxRecordBytes };
}
