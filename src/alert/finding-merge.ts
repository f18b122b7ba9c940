import { ORIGINAL_BASE64, type FieldValue, type Scalar } from '../domain/event';
import { TIME_OUT_OF_RANGE } from './build-alert';

type Fields = Readonly<Record<string, FieldValue | undefined>>;
export type MutableFields = Record<string, FieldValue>;

/**
 * The fields of an alert's first occurrence: its time (and the zone it was read in when the record gave
 * none, and the mark of a time out of range), its raw record (and its exact bytes when they are not UTF-8),
 * when the alert was made and ingested. They belong to that record: a repeat never adds or changes them
 * (mergeRepeat), and an update of a document written before keeps them (sinks/elasticsearch.sink.ts).
 */
export const FIRST_OCCURRENCE: ReadonlySet<string> = new Set([
  '@timestamp',
  'event.timezone',
  TIME_OUT_OF_RANGE,
  'event.original',
  ORIGINAL_BASE64,
  'event.created',
  'event.ingested',
]);

/**
 * Fields a repeat never changes: the alert's identity, its first occurrence and the folding counters.
 * Everything else a repeat knows and the finding lacks is added to it.
 */
const FIXED: ReadonlySet<string> = new Set([
  ...FIRST_OCCURRENCE,
  'event.kind',
  'event.severity',
  'event.start',
  'event.end',
  'tuxwatch.severity',
  'rule.id',
  'rule.uuid',
  'rule.name',
  'rule.description',
  'host.name',
  'tuxwatch.alert.count',
  'tuxwatch.alert.sources',
  'tuxwatch.alert.datasets',
  'tuxwatch.event.count',
]);

/**
 * Widths at which tools cut a program name: lsof's COMMAND column (9) and the kernel's comm (15, what ss,
 * ps -o comm and /proc/PID/stat show). A name of that length is a prefix of the real one.
 */
const CUT_WIDTHS: ReadonlySet<number> = new Set([9, 15]);

/** The full program name when one of two names is the other cut by a tool; undefined when they disagree. */
export function fullerName(a: string, b: string): string | undefined {
  if (a === b) return a;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return CUT_WIDTHS.has(short.length) && long.startsWith(short) ? long : undefined;
}

/** Whether two program names can be the same process (equal, or one cut from the other). */
export const sameProgram = (a: FieldValue | undefined, b: FieldValue | undefined): boolean =>
  typeof a !== 'string' || typeof b !== 'string' || fullerName(a, b) !== undefined;

/**
 * Adds what a repeat of a finding knew to the finding: fields it lacks (lsof's user, ps's executable), the
 * full program name where the finding had a cut one, and the repeat's input kind to
 * `tuxwatch.alert.sources`. Returns whether the finding changed.
 */
export function mergeRepeat(held: MutableFields, repeat: Fields): boolean {
  let changed = false;
  // names, not entries: a [name, value] pair per field of every repeat was most of what merging cost
  for (const name of Object.keys(repeat)) {
    const value = repeat[name];
    if (value === undefined || value === null || FIXED.has(name)) continue;
    const mine = held[name];
    if (mine === undefined || mine === null) {
      held[name] = value;
      changed = true;
    } else if (name === 'process.name' && typeof mine === 'string' && typeof value === 'string') {
      const full = fullerName(mine, value);
      if (full !== undefined && full !== mine) {
        held[name] = full;
        changed = true;
      }
    }
  }
  return addSource(held, repeat) || changed;
}

/**
 * Records the input kind (`event.module`) of an occurrence among the finding's sources, and its dataset
 * among its datasets; returns whether either was new.
 */
export function addSource(held: MutableFields, occurrence: Fields): boolean {
  const source = addTo(held, 'tuxwatch.alert.sources', occurrence['event.module']);
  return addTo(held, 'tuxwatch.alert.datasets', occurrence['event.dataset']) || source;
}

function addTo(held: MutableFields, list: string, value: FieldValue | undefined): boolean {
  if (typeof value !== 'string') return false;
  const values = (held[list] as readonly Scalar[] | undefined) ?? [];
  if (values.includes(value)) return false;
  held[list] = [...values, value].sort();
  return true;
}
