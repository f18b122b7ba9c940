/**
 * Which fields a source writes into events: what a rule can ever find there. `rules validate` uses the
 * catalogues to warn about a rule that needs a field no input kind produces (src/detect/load/field-coverage.ts);
 * test/unit/parse/field-catalogue.test.ts holds every catalogue to the parsers' real output on the evidence
 * under test/fixtures and samples, both ways, so a catalogue cannot drift from its parser.
 *
 * A name is an event field as events carry it (`process.parent.executable`). `*` stands for one name part
 * without dots: `winlog.event_data.*` is any Sysmon data field, `*` alone any dotless name (an audit
 * record's own fields). `**` stands for any number of parts (`auditd.**`: a passed-through document).
 */
export interface FieldSet {
  /** what writes these fields, for messages: `syslog lines`, `Sysmon for Linux records` */
  readonly name: string;
  /** per `event.dataset`, the fields written into its events */
  readonly datasets: Readonly<Record<string, readonly string[]>>;
}

/**
 * A parser's catalogue: the field sets its events can carry (several when it shares a shape with other
 * parsers: a syslog line inside Filebeat JSON), or `as-written` for a parser that keeps whatever fields the
 * record brings (already-ECS documents), which counts as producing no field in particular.
 */
export type ParserFields = readonly FieldSet[] | 'as-written';

/** What an enricher adds to events that already have a field (docs/events.md, "Added by the enrich stage"). */
export interface EnrichedFields {
  readonly name: string;
  /** the datasets whose events it enriches; `*` for any */
  readonly datasets: readonly string[];
  /** an event gets nothing unless it has one of these fields */
  readonly requires: readonly string[];
  readonly adds: readonly string[];
}

/** The fields every parser writes (docs/events.md, "Always present"), `event.timezone` aside. */
export const ALWAYS_PRESENT = [
  '@timestamp',
  'event.original',
  'event.kind',
  'event.module',
  'event.dataset',
  'host.name',
] as const;

/** Whether a catalogue name (possibly with `*` or `**`) covers an event field. */
export function coversField(pattern: string, field: string): boolean {
  if (!pattern.includes('*')) return pattern === field;
  const want = pattern.split('.');
  const have = field.split('.');
  const walk = (i: number, j: number): boolean => {
    if (i === want.length) return j === have.length;
    const part = want[i]!;
    if (part === '**') {
      for (let k = j + 1; k <= have.length; k++) if (walk(i + 1, k)) return true;
      return false;
    }
    if (j === have.length) return false;
    if (part !== '*' && part !== have[j]) return false;
    return walk(i + 1, j + 1);
  };
  return walk(0, 0);
}
