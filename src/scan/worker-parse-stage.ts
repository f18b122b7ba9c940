import { receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { InputPiece } from '../ingest/files/file-chunks';
import type { ObservedRecord } from '../ingest/files/file-records';
import type { RawRecord } from '../domain/raw-record';
import type { ParseDefaults } from '../parse/parse-record';
import { recordBytes, type ParsedPiece, type ParseStage } from './parse-stage';
import type { WorkerSetup, WorkRequest } from './batch-parser';
import { takeParseWorkers, type SetupMessage } from './parse-workers';
import { keptRecord, type WorkResult } from './work-result';

/**
 * pieces read ahead per worker, with it or answered: enough for it to stay busy while this thread runs the stateful stages on a run
 * of results (the read-ahead, and so the memory, is this many chunks of about 256 KiB per worker: 4 MiB;
 * 16 measured a little faster than 8 on the bench, 1.53 against 1.58 s median of 8 interleaved runs)
 */
const QUEUED_PER_WORKER = 16;

/** A piece on its way through the stage: parsed by a worker whose result came in, or not yet. */
interface Pending {
  readonly piece: InputPiece;
  parsed?: ParsedPiece;
  failed?: Error;
  /** wakes the taker waiting for it */
  wake?: () => void;
}

interface WorkerLink {
  readonly worker: Worker;
  /** the worker has loaded its rules (or failed) */
  readonly started: Promise<void>;
  /** requests and results go through it: results can be taken from it at once (`receiveMessageOnPort`) */
  readonly port: MessagePort;
  /** requests sent and not answered */
  queued: number;
}

/**
 * Parsing on worker threads. Pieces go to the least busy worker and come back in the order they were read,
 * whatever order the workers finish in: the stateful stages after parse see the same sequence as with one
 * thread. A chunk's bytes are handed over, not copied, and split into records by the worker: this thread
 * never decodes the lines no later stage needs. Workers send back only the records that matter
 * (batch-parser.ts), which this thread parses again, in order. It takes the results from the workers'
 * ports when it tops up their queues, not from events, which wait until it is idle: a worker's queue would
 * look full while its results sat undelivered, and the worker idle.
 *
 * This thread parses nothing else: with 2 threads on 2 cores, parsing the next chunk here whenever the
 * worker was behind kept both threads busy, but cost more CPU in all (this thread's V8 then compiles every
 * parser's code too, and the background threads that compile and collect garbage had the cores less often):
 * interleaved `npm run bench -- scan` runs, 134,484–144,339 lines/s at 2.47–2.69 s CPU with it, 141,848–
 * 147,971 at 2.33–2.45 s without.
 */
export class WorkerParseStage implements ParseStage {
  private readonly links: WorkerLink[];
  /** pieces sent to a worker, by request number */
  private readonly sent = new Map<number, Pending>();
  private seq = 0;
  private failure?: Error;
  private readonly maxRecordBytes: number;

  constructor(threads: number, setup: WorkerSetup) {
    const plain: SetupMessage<WorkerSetup> = { setup: { ...setup, defaults: plainDefaults(setup.defaults) } };
    this.maxRecordBytes = setup.defaults.maxRecordBytes;
    this.links = takeParseWorkers(threads).map(({ worker, port, started, failure }) => {
      const link: WorkerLink = { worker, started, port, queued: 0 };
      port.on('message', (m: WorkResult) => this.received(link, m));
      worker.on('error', (e) => this.fail(e));
      if (failure !== undefined) this.fail(failure);
      else worker.postMessage(plain);
      return link;
    });
  }

  /**
   * Every worker's queue is topped up before each result goes on (it would otherwise drain while the
   * stateful stages take a run of results, and the worker idle); this thread then takes the oldest piece,
   * waiting for it if it is not in. Memory stays bounded: at most the queues' worth of pieces is read ahead
   * of the stateful stages, whether with a worker or answered.
   */
  async *run(pieces: AsyncIterable<InputPiece>): AsyncIterable<ParsedPiece> {
    const input = pieces[Symbol.asyncIterator]();
    let ended = false;
    const pending: Pending[] = [];
    // pieces answered but not yet taken count too: a worker faster than the stateful stages would otherwise
    // have the whole input read ahead of them
    const ahead = QUEUED_PER_WORKER * this.links.length;
    for (;;) {
      for (let link = this.leastBusy(); !ended && pending.length < ahead; link = this.leastBusy()) {
        const next = await input.next();
        if (next.done === true) ended = true;
        else pending.push(this.send(next.value, link));
      }
      const oldest = pending.shift();
      if (oldest === undefined) return;
      yield await this.take(oldest);
    }
  }

  /** The worker with the fewest requests queued, once the results it posted are taken. */
  private leastBusy(): WorkerLink {
    this.collect();
    return this.links.reduce((a, b) => (b.queued < a.queued ? b : a));
  }

  async close(): Promise<void> {
    // a worker is not ended while it starts (a scan of nothing): it would be cut off in the middle of it
    await Promise.all(this.links.map((l) => l.started));
    for (const link of this.links) link.port.close();
    await Promise.all(this.links.map((l) => l.worker.terminate()));
  }

  /** Takes the results the workers have posted and this thread has not yet been told of. */
  private collect(): void {
    for (const link of this.links) {
      for (let m = receiveMessageOnPort(link.port); m !== undefined; m = receiveMessageOnPort(link.port))
        this.received(link, m.message as WorkResult);
    }
  }

  private received(link: WorkerLink, result: WorkResult): void {
    link.queued--;
    const p = this.sent.get(result.seq);
    if (p === undefined) return;
    this.sent.delete(result.seq);
    p.parsed = taken(p.piece, result);
    p.wake?.();
  }

  private fail(e: Error): void {
    this.failure = e;
    for (const p of this.sent.values()) {
      p.failed = e;
      p.wake?.();
    }
    this.sent.clear();
  }

  private async take(p: Pending): Promise<ParsedPiece> {
    if (p.parsed === undefined && p.failed === undefined) await new Promise<void>((wake) => (p.wake = wake));
    if (p.failed !== undefined) throw p.failed;
    return p.parsed!;
  }

  private send(piece: InputPiece, link: WorkerLink): Pending {
    const p: Pending = { piece };
    if (this.failure) {
      p.failed = this.failure;
      return p;
    }
    const seq = this.seq++;
    const request = this.request(seq, piece);
    this.sent.set(seq, p);
    link.queued++;
    // a chunk's memory is handed over whole (file-chunks.ts gives each chunk its own)
    link.port.postMessage(request, request.chunk ? [request.chunk.bytes.buffer as ArrayBuffer] : []);
    return p;
  }

  /** A piece as a worker takes it. */
  private request(seq: number, piece: InputPiece): WorkRequest {
    if (piece.chunk) {
      const { observedAt, ...chunk } = piece.chunk;
      return { seq, chunk, observedAt: observedAt.getTime() };
    }
    const batch = piece.records;
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
}

/** A worker's result as the stages after parse take it: the kept records, to parse here, in order. */
function taken(piece: InputPiece, r: WorkResult): ParsedPiece {
  let records: ObservedRecord[];
  if (piece.chunk) {
    const chunk = piece.chunk;
    const lines = r.lines!;
    records = lines.texts.map((_, i) => ({
      record: keptRecord(lines, i, chunk),
      observedAt: chunk.observedAt,
    }));
  } else records = r.kept.map((i) => piece.records[i]!);
  return {
    records,
    read: r.read,
    bytes: bytesOf(piece),
    unseen: r.unseen,
  };
}

const bytesOf = (piece: InputPiece): number =>
  piece.chunk ? piece.chunk.bytes.length : recordBytes(piece.records);

/** The defaults as data: functions (a per-host zone lookup) cannot cross to a worker, and scan has none. */
function plainDefaults(d: ParseDefaults): ParseDefaults {
  return { timezone: d.timezone, year: d.year, host: d.host, maxRecordBytes: d.maxRecordBytes };
}
