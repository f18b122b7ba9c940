import { DetectionEngine, loadRuleSet } from '../detect/engine';
import { ParsedRuleCache } from '../detect/load/parsed-rule-cache';
import type { SiemEvent } from '../domain/event';
import type { RawRecord } from '../domain/raw-record';
import { chunkRecords, type LineChunk } from '../ingest/files/file-chunks';
import { parseRecord, parserOf, type ParseDefaults } from '../parse/parse-record';
import { continuesRecord } from '../parse/registry';
import { tallyEvent, type EventTally } from './event-tally';
import { mattersToState } from './stateful-interest';

/** What the pool tells a worker once, at start. */
export interface WorkerSetup {
  readonly defaults: ParseDefaults;
  /** rule paths: records whose events no rule matches and no stateful stage needs are counted, not sent back */
  readonly rules: readonly string[];
}

/** The hints the records of one input share. */
export type RecordHints = Pick<RawRecord, 'kind' | 'host' | 'timezone' | 'sourceTimezone'>;

/**
 * A batch of records read one by one: their texts, the hints they share (one batch is one input's), and,
 * by index, the few records that carry more (lenient UTF-8 bytes, a cut line). Cloning whole records costs
 * the main thread.
 */
export interface RecordsRequest {
  readonly seq: number;
  readonly texts: readonly string[];
  readonly hints: RecordHints;
  readonly special: Readonly<Record<number, RawRecord>>;
  /** the observation time of every record (a file's mtime), epoch ms */
  readonly observedAt: number;
  readonly chunk?: undefined;
}

/** A chunk of a plain file's lines (file-chunks.ts), its bytes handed over whole: the worker splits it. */
export interface ChunkRequest {
  readonly seq: number;
  readonly chunk: Omit<LineChunk, 'observedAt'>;
  readonly observedAt: number;
}

export type WorkRequest = RecordsRequest | ChunkRequest;

/** Events a worker only counted. */
export type Unseen = EventTally;

/** A request parsed and judged: the records the main thread must see, an index into the request's records. */
export interface Judged {
  /** records the request held (a chunk's, once split), those only counted included */
  readonly read: number;
  readonly records: readonly RawRecord[];
  /** the records that matter, by index */
  readonly kept: readonly number[];
  readonly unseen: Unseen;
}

/**
 * The parse of one request, as a parse worker of `scan` does it: records in, the records that matter out,
 * in order. Parsing is pure; it also runs the rules without state (no correlation, no enrichment) to tell
 * which records the main thread must see: those with an event a rule matches or a stateful stage reads
 * (stateful-interest.ts), or that did not parse (a dead letter, with its origin). The rest are only
 * counted. A kept record goes to the main thread whole, all its events, and is parsed there again, in
 * order, exactly as one thread would (test/unit/cli/scan-threads.test.ts holds the two runs equal).
 */
export class BatchParser {
  private constructor(
    private readonly defaults: ParseDefaults,
    private readonly engine: DetectionEngine,
  ) {}

  static async create(setup: WorkerSetup): Promise<BatchParser> {
    const { rules } = await loadRuleSet([...setup.rules], { parsed: ParsedRuleCache.bundled() });
    return new BatchParser(setup.defaults, new DetectionEngine(rules));
  }

  parse(request: WorkRequest): Judged {
    return this.judge(this.records(request), new Date(request.observedAt));
  }

  /** Records parsed and judged (`observedAt`: when they were seen, which anchors year inference). */
  private judge(records: readonly RawRecord[], observedAt: Date): Judged {
    const unseen: Unseen = { events: 0 };
    const kept: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const parser = parserOf(record);
      // an audit line is grouped with the others of its event on the main thread, in order
      if (parser?.kind === 'auditd') {
        kept.push(i);
        continue;
      }
      // sniffed once: the parse goes straight to the parser
      const result = parseRecord(record, this.defaults, observedAt, undefined, parser ?? null);
      if (!result.ok || this.matters(result.events)) kept.push(i);
      else for (const event of result.events) tallyEvent(unseen, event);
    }
    return { read: records.length, records, kept, unseen };
  }

  private matters(events: readonly SiemEvent[]): boolean {
    const engine = this.engine;
    for (const e of events) if (mattersToState(e) || engine.evaluate(e).length > 0) return true;
    return false;
  }

  /** The request's records: a chunk split as one thread reads a file, or texts with their hints. */
  private records(request: WorkRequest): RawRecord[] {
    const defaults = this.defaults;
    if (request.chunk !== undefined) {
      const chunk = request.chunk;
      // the bytes crossed threads as a Uint8Array: a Buffer over the same memory, not a copy
      const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
      return chunkRecords(
        { ...chunk, bytes },
        { maxRecordBytes: defaults.maxRecordBytes, continues: continuesRecord },
      );
    }
    const { hints, special } = request;
    // a plain literal, one shape for every record: records spread from the hints were slower to read in
    // every later step than building them was
    return request.texts.map(
      (text, i): RawRecord =>
        special[i] ?? {
          text,
          origin: NO_ORIGIN,
          kind: hints.kind,
          host: hints.host,
          timezone: hints.timezone,
          sourceTimezone: hints.sourceTimezone,
        },
    );
  }
}

/** parsers never read the origin; the main thread keeps the record's own for dead letters */
const NO_ORIGIN: RawRecord['origin'] = { type: 'file', path: '', line: 0 };
