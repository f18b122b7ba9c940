import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { InputPiece } from '../ingest/files/file-chunks';
import type { ObservedRecord } from '../ingest/files/file-records';
import type { RawRecord } from '../domain/raw-record';
import type { ParseDefaults } from '../parse/parse-record';
import { recordBytes, splitChunk, type ParsedPiece, type ParseStage } from './parse-stage';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';
import { keptRecord, type WorkResult } from './work-result';

/** requests in flight per worker: one being parsed and some waiting, so a worker never idles on this thread */
const IN_FLIGHT_PER_WORKER = 4;

interface Pending {
  readonly result: Promise<ParsedPiece>;
  /** the result is in: taking it will not wait */
  done: boolean;
}

/**
 * Parsing on worker threads. Pieces go round-robin to the workers and come back in the order they were
 * read, whatever order the workers finish in: the stateful stages after parse see the same sequence as
 * with one thread. A chunk's bytes are handed over, not copied, and split into records by the worker:
 * this thread never decodes the lines no later stage needs. Workers send back only the records that
 * matter (batch-parser.ts), which this thread parses again, in order. When every worker is busy and the
 * next result is not in, this thread parses the next piece itself (the same BatchParser) rather than wait:
 * the stateful stages leave it idle a good part of the time.
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

  async *run(pieces: AsyncIterable<InputPiece>): AsyncIterable<ParsedPiece> {
    await this.ready;
    const pending: Pending[] = [];
    const limit = this.workers.length * IN_FLIGHT_PER_WORKER;
    for await (const piece of pieces) {
      const busy = pending.length >= limit && !pending[0]!.done;
      pending.push(this.pending(busy ? this.parseHere(piece) : this.send(piece)));
      // results that are in go on at once; past twice the limit, wait for the oldest (memory stays bounded)
      while (pending.length >= limit && (pending[0]!.done || pending.length >= 2 * limit))
        yield await pending.shift()!.result;
    }
    while (pending.length > 0) yield await pending.shift()!.result;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pending(result: Promise<ParsedPiece>): Pending {
    const p: Pending = { result, done: false };
    // a failure is seen when the piece is taken; this only marks when taking it would not wait
    result.then(
      () => (p.done = true),
      () => (p.done = true),
    );
    return p;
  }

  /** The piece parsed on this thread: its kept records with their parse, nothing parsed twice. */
  private async parseHere(piece: InputPiece): Promise<ParsedPiece> {
    this.local ??= BatchParser.create(this.setup);
    const parser = await this.local;
    const records = piece.chunk ? splitChunk(piece.chunk, this.maxRecordBytes) : piece.records;
    const judged = parser.judge(
      records.map((r) => r.record),
      records[0]?.observedAt ?? new Date(),
    );
    return {
      records: judged.kept.map((i) => records[i]!),
      results: judged.results.map((r) => r ?? undefined),
      read: judged.read,
      bytes: bytesOf(piece),
      unseen: judged.unseen,
    };
  }

  private async send(piece: InputPiece): Promise<ParsedPiece> {
    if (this.failure) throw this.failure;
    const seq = this.seq++;
    const request = this.request(seq, piece);
    const result = await new Promise<WorkResult>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      // a chunk's memory is handed over whole (file-chunks.ts gives each chunk its own)
      const transfer = request.chunk ? [request.chunk.bytes.buffer as ArrayBuffer] : [];
      this.workers[seq % this.workers.length]!.postMessage(request, transfer);
    });
    return taken(piece, result);
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

/** A worker's result as the stages after parse take it: the kept records, to parse here unless sent parsed. */
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
    results: r.results ? r.results.map((x) => x ?? undefined) : new Array<undefined>(records.length),
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
