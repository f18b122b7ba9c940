import { DetectionEngine, loadRuleSet } from '../detect/engine';
import { ParsedRuleCache } from '../detect/load/parsed-rule-cache';
import type { SiemEvent } from '../domain/event';
import type { RawRecord } from '../domain/raw-record';
import { parseRecord, type ParseDefaults, type ParseResult } from '../parse/parse-record';
import { parserFor, sniffParser } from '../parse/registry';
import { COUNTED } from './parse-stage';
import { mattersToState } from './stateful-interest';

/** What the pool tells a worker once, at start. */
export interface WorkerSetup {
  readonly defaults: ParseDefaults;
  /** rule paths: events no rule matches and no stateful stage needs are counted, not sent back */
  readonly rules?: readonly string[];
}

/**
 * A batch: the records' texts, the hints they share (one batch is one file's), and, by index, the few
 * records that carry more (lenient UTF-8 bytes, a cut line). Cloning whole records costs the main thread.
 */
export interface WorkRequest {
  readonly seq: number;
  readonly texts: readonly string[];
  readonly hints: Pick<RawRecord, 'kind' | 'host' | 'timezone' | 'sourceTimezone'>;
  readonly special: Readonly<Record<number, RawRecord>>;
  /** the observation time of every record (a file's mtime), epoch ms */
  readonly observedAt: number;
}

/** Events a worker only counted: how many, and their time span. */
export interface Unseen {
  events: number;
  first?: string;
  last?: string;
}

export interface WorkResult {
  readonly seq: number;
  /**
   * null: parse this record on the main thread (an audit line, grouped there with its event); COUNTED: its
   * events were all only counted (in `unseen`)
   */
  readonly results: readonly (ParseResult | null | typeof COUNTED)[];
  readonly unseen: Unseen;
}

/**
 * The parse of one batch, as a parse worker of `scan` does it: records in, parse results out, in order.
 * Parsing is pure; it also runs the rules without state (no correlation, no enrichment) to tell which
 * events the main thread must see: those a rule matches or a stateful stage reads (stateful-interest.ts).
 * The rest are only counted — sending every event back would cost the main thread more than parsing it did.
 * The main thread runs the same parse on a batch when every worker is busy (worker-parse-stage.ts), so
 * where a batch is parsed never changes its result.
 */
export class BatchParser {
  private constructor(
    private readonly defaults: ParseDefaults,
    private readonly engine: DetectionEngine | undefined,
  ) {}

  static async create(setup: WorkerSetup): Promise<BatchParser> {
    if (!setup.rules) return new BatchParser(setup.defaults, undefined);
    const { rules } = await loadRuleSet([...setup.rules], { parsed: ParsedRuleCache.bundled() });
    return new BatchParser(setup.defaults, new DetectionEngine(rules));
  }

  parse(request: WorkRequest): WorkResult {
    const engine = this.engine;
    const keep = (e: SiemEvent): boolean => mattersToState(e) || (engine?.evaluate(e).length ?? 1) > 0;
    const unseen: Unseen = { events: 0 };
    const observedAt = new Date(request.observedAt);
    const hints = request.hints;
    const results = request.texts.map((text, i): ParseResult | null | typeof COUNTED => {
      const special = request.special[i];
      const given = special === undefined ? hints.kind : special.kind;
      const parser = given ? parserFor(given) : sniffParser(text);
      if (parser?.kind === 'auditd') return null;
      // sniffed once: the parse goes straight to the parser. A plain literal, one shape for every record:
      // records spread from the hints were slower to read in every later step than building them was
      const kind = parser?.kind ?? given;
      const record: RawRecord =
        special !== undefined
          ? { ...special, kind }
          : {
              text,
              origin: NO_ORIGIN,
              kind,
              host: hints.host,
              timezone: hints.timezone,
              sourceTimezone: hints.sourceTimezone,
            };
      const result = parseRecord(record, this.defaults, observedAt);
      if (!result.ok || engine === undefined) return result;
      const events = result.events.filter((e) => keep(e) || !count(unseen, e));
      if (events.length === result.events.length) return result;
      return events.length === 0 ? COUNTED : { ...result, events };
    });
    return { seq: request.seq, results, unseen };
  }
}

/** parsers never read the origin; the main thread keeps the record's own for dead letters */
const NO_ORIGIN: RawRecord['origin'] = { type: 'file', path: '', line: 0 };

/** Counts an event the main thread will not see; returns true (counted). */
function count(unseen: Unseen, event: SiemEvent): boolean {
  unseen.events++;
  const at = event['@timestamp'];
  if (unseen.first === undefined || at < unseen.first) unseen.first = at;
  if (unseen.last === undefined || at > unseen.last) unseen.last = at;
  return true;
}
