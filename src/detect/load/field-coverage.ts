import type { Dataset } from '../sigma/logsource';
import { accessorAt } from '../sigma/field-map';
import type { FieldUse } from '../sigma/field-condition';
import { and, type DetectionNode, type FieldPresence } from '../sigma/logic';
import type { ProblemLog } from './problems';
import type { Position } from './yaml-tree';

/**
 * Where events' fields come from: every source of events (an input kind, the service's own observations)
 * and the fields each writes into the events of a dataset, enrichment included. Built from the parsers'
 * and enrichers' declared catalogues (src/pipeline/produced-fields.ts).
 */
export interface FieldSources {
  readonly names: readonly string[];
  writes(source: string, dataset: string, field: string): boolean;
}

/** A rule as far as its coverage goes. */
export interface CoverageSubject {
  readonly id: string;
  readonly datasets: readonly Dataset[];
  /** the logsource's own test (syslog program, event type), null when the datasets say it all */
  readonly filter: DetectionNode | null;
  /** what the logsource selects, in words, and where it is written */
  readonly logsource: { readonly description: string; readonly pos: Position };
  readonly detection: DetectionNode;
  readonly uses: readonly FieldUse[];
  /** where the detection is written, for a warning about no field in particular */
  readonly pos: Position;
}

/**
 * Warns when a rule can never fire: for every source and every dataset its logsource selects, a match
 * needs a field the source never writes there. The fields no source writes into those datasets are each
 * named where the rule uses them (those whose absence alone keeps the rule from firing, when there are
 * such); when each field is written by some source but no single source writes what a match needs
 * together, one warning at the detection names them. Returns whether the rule can fire.
 */
export function checkFieldCoverage(rule: CoverageSubject, sources: FieldSources, log: ProblemLog): boolean {
  const node = rule.filter === null ? rule.detection : and([rule.filter, rule.detection]);
  const pairs = sources.names.flatMap((source) => rule.datasets.map((dataset) => ({ source, dataset })));
  const presence = (fields: (field: string) => boolean): FieldPresence => {
    const known = new Map<number, boolean>();
    return (slot) => {
      let has = known.get(slot);
      if (has === undefined) {
        has = accessorAt(slot).sources.some(fields);
        known.set(slot, has);
      }
      return has;
    };
  };
  for (const { source, dataset } of pairs) {
    if (node.reach(presence((f) => sources.writes(source, dataset, f))) !== 'never') return true;
  }
  // somewhere, by some source: what no source writes is what keeps the rule from firing
  const anywhere = (f: string): boolean => pairs.some((p) => sources.writes(p.source, p.dataset, f));
  const union = presence(anywhere);
  const where = `${rule.datasets.join('/')} events`;
  if (rule.filter?.reach(union) === 'never') {
    log.warning(
      rule.logsource.pos,
      `rule ${rule.id} can never fire: its logsource selects ${rule.logsource.description}, which no input kind writes`,
    );
    return false;
  }
  const absent = uniqueBySlotAndPlace(rule.uses.filter((u) => !union(u.slot)));
  if (absent.length === 0 || node.reach(union) !== 'never') {
    const names = uniqueNames(rule.uses).map(describe).join(', ');
    log.warning(
      rule.pos,
      `rule ${rule.id} can never fire: no single input kind writes together the fields it needs (${names}) into ${where}`,
    );
    return false;
  }
  // with several missing, name those whose absence alone keeps the rule from firing, if any
  const several = new Set(absent.map((u) => u.slot)).size > 1;
  const alone = several
    ? absent.filter((u) => node.reach((slot) => slot === u.slot || union(slot)) !== 'never')
    : [];
  for (const use of alone.length > 0 ? alone : absent) {
    log.warning(
      use.pos,
      `rule ${rule.id} can never fire: no input kind writes ${describe(use)} into ${where}`,
    );
  }
  return false;
}

function describe(use: FieldUse): string {
  if (use.name === '') return `the message keywords search (${use.target})`;
  return use.name === use.target ? use.name : `${use.name} (${use.target})`;
}

function uniqueBySlotAndPlace(uses: readonly FieldUse[]): FieldUse[] {
  const seen = new Set<string>();
  return uses.filter((u) => {
    const key = `${u.slot}:${u.pos.line}:${u.pos.col}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function uniqueNames(uses: readonly FieldUse[]): FieldUse[] {
  const seen = new Set<string>();
  return uses.filter((u) => {
    if (seen.has(u.name)) return false;
    seen.add(u.name);
    return true;
  });
}
