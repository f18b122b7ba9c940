import type { RuleMeta } from '../../domain/rule';
import type { CompiledRule } from '../compiled-rule';
import type { ProblemLog } from '../load/problems';
import type { CorrelationSpec } from '../load/rule-validator';
import { describeKind, entry, type YMap, type YNode } from '../load/yaml-tree';
import { resolveField } from '../sigma/field-map';
import { WINDOW_ENTRIES } from './correlation-state';

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
export type CountOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';

export interface CompiledCorrelation {
  readonly meta: RuleMeta;
  readonly name?: string;
  readonly type: CorrelationType;
  /** the base rules, in the order written (temporal_ordered relies on it) */
  readonly rules: readonly CompiledRule[];
  /** group-by fields: the name written and its field slot */
  readonly groupBy: readonly { readonly field: string; readonly slot: number }[];
  readonly timespanMs: number;
  /** every bound must hold for the count (events, distinct values, or distinct rules) */
  readonly condition: readonly { readonly op: CountOperator; readonly value: number }[];
  /** value_count: the field whose distinct values are counted */
  readonly valueField?: { readonly field: string; readonly slot: number };
  /** whether the base rules still alert on their own (Sigma `generate`, default false) */
  readonly generate: boolean;
  readonly active: boolean;
  readonly inactiveReason?: string;
}

const TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const OPERATORS: readonly CountOperator[] = ['gt', 'gte', 'lt', 'lte', 'eq'];
const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const KNOWN_KEYS = new Set([
  'type',
  'rules',
  'group-by',
  'timespan',
  'timeframe',
  'condition',
  'generate',
  'aliases',
]);

/** Checks a `correlation:` block and binds its rule references (by Sigma name, id or file slug). */
export function compileCorrelation(
  spec: CorrelationSpec,
  known: readonly CompiledRule[],
  log: ProblemLog,
): CompiledCorrelation | undefined {
  const c = spec.correlation;
  const before = log.errorCount;
  for (const e of c.entries) {
    if (!KNOWN_KEYS.has(e.key)) log.warning(e.keyNode.pos, `unknown correlation key "${e.key}" ignored`);
  }
  const aliases = entry(c, 'aliases');
  if (aliases !== undefined) {
    log.error(
      aliases.keyNode.pos,
      'correlation aliases are not supported: use the same field name in every rule',
    );
  }

  const typeNode = entry(c, 'type')?.value;
  const type = scalarString(typeNode);
  if (typeNode === undefined) log.error(c.pos, 'correlation needs a type');
  else if (type === undefined || !(TYPES as readonly string[]).includes(type)) {
    log.error(typeNode.pos, `correlation type must be one of ${TYPES.join(', ')}`);
  }

  const rules = bindRules(c, known, log);
  const groupBy = stringList(entry(c, 'group-by')?.value, 'group-by', log).map((field) => ({
    field,
    slot: resolveField(field).slot,
  }));
  const spanEntry = entry(c, 'timespan') ?? entry(c, 'timeframe');
  let timespanMs = 0;
  if (spanEntry === undefined) log.error(c.pos, 'correlation needs a timespan (e.g. 5m)');
  else {
    const m = /^(\d+)([smhdw])$/.exec(scalarString(spanEntry.value) ?? '');
    if (m === null)
      log.error(spanEntry.value.pos, 'timespan is a number and a unit: s, m, h, d or w (e.g. 15m)');
    else if (Number(m[1]) * UNIT_MS[m[2]!]! > MAX_TIMESPAN_MS)
      log.error(
        spanEntry.value.pos,
        'timespan longer than 52w: a window that long is kept per host and group, and is no burst',
      );
    else timespanMs = Number(m[1]) * UNIT_MS[m[2]!]!;
  }

  const condition: { op: CountOperator; value: number }[] = [];
  let valueField: { field: string; slot: number } | undefined;
  const condNode = entry(c, 'condition')?.value;
  if (condNode === undefined) {
    if (type === 'event_count' || type === 'value_count')
      log.error(c.pos, `a ${type} correlation needs a condition`);
  } else if (condNode.kind !== 'map') {
    log.error(condNode.pos, `correlation condition is a mapping (gte: 10), not ${describeKind(condNode)}`);
  } else {
    for (const e of condNode.entries) {
      if (e.key === 'field') {
        const f = scalarString(e.value);
        if (f === undefined) log.error(e.value.pos, 'condition field must be a field name');
        else valueField = { field: f, slot: resolveField(f).slot };
      } else if ((OPERATORS as readonly string[]).includes(e.key)) {
        const v = e.value.kind === 'scalar' ? e.value.value : undefined;
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
          log.error(e.value.pos, `${e.key} takes a whole number up to ${Number.MAX_SAFE_INTEGER}`);
        } else condition.push({ op: e.key as CountOperator, value: v });
      } else log.error(e.keyNode.pos, `unknown condition key "${e.key}" (${OPERATORS.join(', ')}, field)`);
    }
    if (condition.length === 0) log.error(condNode.pos, `condition needs a bound: ${OPERATORS.join(', ')}`);
    if (condition.length > 0 && condition.every((b) => b.op === 'lt' || b.op === 'lte')) {
      log.warning(
        condNode.pos,
        'tuxwatch evaluates correlations as events arrive: an upper bound alone fires on the first match',
      );
    }
  }
  const reach = type === undefined ? undefined : reachable(type as CorrelationType, rules?.length ?? 0);
  if (reach !== undefined && condNode !== undefined && !canHold(condition, reach.max)) {
    log.error(condNode.pos, `this condition can never hold: ${reach.why}`);
  }
  if (type === 'value_count' && valueField === undefined && condNode?.kind === 'map') {
    log.error(condNode.pos, 'a value_count condition names the counted field (field: user.name)');
  }
  if (type !== 'value_count' && valueField !== undefined && condNode !== undefined) {
    log.error(condNode.pos, `condition field only applies to value_count, not ${type}`);
  }

  const generateNode = entry(c, 'generate')?.value;
  let generate = false;
  if (generateNode !== undefined) {
    if (generateNode.kind === 'scalar' && typeof generateNode.value === 'boolean')
      generate = generateNode.value;
    else log.error(generateNode.pos, 'generate takes true or false');
  }

  if (log.errorCount > before || rules === undefined || type === undefined) return undefined;
  const inactive = rules.find((r) => !r.active);
  if (inactive !== undefined) {
    log.note(
      c.pos,
      `correlation inactive: its rule ${inactive.meta.id} is inactive (${inactive.inactiveReason})`,
    );
  }
  return {
    meta: spec.meta,
    type: type as CorrelationType,
    rules,
    groupBy,
    timespanMs,
    condition,
    generate,
    active: inactive === undefined,
    ...(spec.name !== undefined && { name: spec.name }),
    ...(valueField !== undefined && { valueField }),
    ...(inactive !== undefined && { inactiveReason: `rule ${inactive.meta.id} is inactive` }),
  };
}

/** The longest timespan: a year (52w); windows are state kept per host and group-by value. */
const MAX_TIMESPAN_MS = 52 * UNIT_MS['w']!;

/**
 * The largest count a correlation type can reach, when it has one: a window keeps at most `WINDOW_ENTRIES`
 * entries (so as many distinct values), and a temporal correlation counts its distinct rules. An
 * event_count window weighs each entry by its event's count (`tuxwatch.event.count`): no bound.
 */
function reachable(type: CorrelationType, rules: number): { max: number; why: string } | undefined {
  if (type === 'value_count')
    return { max: WINDOW_ENTRIES, why: `a window holds at most ${WINDOW_ENTRIES} distinct values` };
  if (type === 'temporal' || type === 'temporal_ordered')
    return { max: rules, why: `the correlation counts ${rules} distinct rules at most` };
  return undefined;
}

/** Whether some count from 0 to `max` satisfies every bound. */
function canHold(condition: readonly { op: CountOperator; value: number }[], max: number): boolean {
  let low = 0;
  let high = max;
  for (const { op, value } of condition) {
    if (op === 'gt') low = Math.max(low, value + 1);
    else if (op === 'gte') low = Math.max(low, value);
    else if (op === 'lt') high = Math.min(high, value - 1);
    else if (op === 'lte') high = Math.min(high, value);
    else {
      low = Math.max(low, value);
      high = Math.min(high, value);
    }
  }
  return low <= high;
}

function bindRules(c: YMap, known: readonly CompiledRule[], log: ProblemLog): CompiledRule[] | undefined {
  const node = entry(c, 'rules')?.value;
  if (node === undefined) {
    log.error(c.pos, 'correlation needs rules (names or ids of the rules it counts)');
    return undefined;
  }
  const items = node.kind === 'seq' ? node.items : [node];
  const out: CompiledRule[] = [];
  let ok = items.length > 0;
  for (const item of items) {
    const ref = scalarString(item);
    const rule =
      ref === undefined
        ? undefined
        : known.find(
            (r) => r.name === ref || r.meta.uuid.toLowerCase() === ref.toLowerCase() || r.meta.id === ref,
          );
    if (rule === undefined) {
      log.error(
        item.pos,
        ref === undefined
          ? 'a rule reference is a string'
          : `no loaded rule is named "${ref}" (name, id or file slug)`,
      );
      ok = false;
    } else out.push(rule);
  }
  if (items.length === 0) log.error(node.pos, 'correlation rules list is empty');
  return ok ? out : undefined;
}

function scalarString(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

function stringList(node: YNode | undefined, key: string, log: ProblemLog): string[] {
  if (node === undefined) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const s = scalarString(item);
    if (s === undefined) log.error(item.pos, `${key} holds field names`);
    else out.push(s);
  }
  return out;
}
