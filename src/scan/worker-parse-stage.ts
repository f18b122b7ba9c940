import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { InputPiece } from '../ingest/files/file-chunks';
import type { ObservedRecord } from '../ingest/files/file-records';
import type { RawRecord } from '../domain/raw-record';
import type { ParseDefaults } from '../parse/parse-record';
import { recordBytes, splitChunk, type ParsedPiece, type ParseStage } from './parse-stage';
import { BatchParser, type WorkerSetup, type WorkRequest } from './batch-parser';
import { keptRecord, type WorkResult } from './work-result';

/**
 * requests a worker holds before this thread parses pieces itself: enough for the worker to stay busy
 * while this thread parses one and runs the stateful stages on the results that came in meanwhile
 */
const QUEUED_PER_WORKER = 4;

/** A piece on its way through the stage: parsed (here, or by a worker whose result came in), or not yet. */
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
 * (batch-parser.ts), which this thread parses again, in order. When every worker's queue is full and the
 * next result is not in, this thread parses the next piece itself (the same BatchParser) rather than wait:
 * the stateful stages leave it idle a good part of the time. It takes the results from the workers' ports
 * before it decides, not from events, which wait until it is idle: it would otherwise parse while a
 * worker's result sat undelivered and the worker idled.
 */
export class WorkerParseStage implements ParseStage {
  private readonly links: WorkerLink[];
  /** pieces sent to a worker, by request number */
  private readonly sent = new Map<number, Pending>();
  private seq = 0;
  private failure?: Error;
  private readonly maxRecordBytes: number;
  private readonly setup: WorkerSetup;
  /** this thread's own parser, made the first time it helps */
  private local?: BatchParser;

  constructor(threads: number, setup: WorkerSetup) {
    const plain: WorkerSetup = { ...setup, defaults: plainDefaults(setup.defaults) };
    this.setup = plain;
    this.maxRecordBytes = setup.defaults.maxRecordBytes;
    this.links = Array.from({ length: threads }, () => {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(join(__dirname, 'parse-worker.js'), {
        workerData: { setup: plain, port: port2 },
        transferList: [port2],
      });
      const started = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      });
      const link: WorkerLink = { worker, started, port: port1, queued: 0 };
      port1.on('message', (m: WorkResult) => this.received(link, m));
      worker.on('error', (e) => this.fail(e));
      return link;
    });
  }

  /**
   * Work-conserving: before each result goes on, every worker's queue is topped up (it would otherwise
   * drain while the stateful stages take a run of results, and the worker idle); when the oldest piece is
   * still with a worker, this thread parses the next one rather than wait. Memory stays bounded: at most
   * twice the queues' worth of pieces are read ahead.
   */
  async *run(pieces: AsyncIterable<InputPiece>): AsyncIterable<ParsedPiece> {
    const input = pieces[Symbol.asyncIterator]();
    let ended = false;
    const read = async (): Promise<InputPiece | undefined> => {
      if (ended) return undefined;
      const next = await input.next();
      ended = next.done === true;
      return next.done ? undefined : next.value;
    };
    const pending: Pending[] = [];
    const ahead = 2 * QUEUED_PER_WORKER * this.links.length;
    for (;;) {
      for (let link = this.leastBusy(); link.queued < QUEUED_PER_WORKER && pending.length < ahead;) {
        const piece = await read();
        if (piece === undefined) break;
        pending.push(this.send(piece, link));
        link = this.leastBusy();
      }
      const oldest = pending[0];
      if (oldest === undefined) return;
      if (oldest.parsed === undefined && pending.length < ahead) {
        const piece = await read();
        if (piece !== undefined) {
          pending.push({ piece, parsed: await this.parseHere(piece) });
          continue;
        }
      }
      pending.shift();
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

  /** The piece parsed on this thread: its kept records with their parse, nothing parsed twice. */
  private async parseHere(piece: InputPiece): Promise<ParsedPiece> {
    this.local ??= await BatchParser.create(this.setup);
    const records = piece.chunk ? splitChunk(piece.chunk, this.maxRecordBytes) : piece.records;
    const judged = this.local.judge(
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
