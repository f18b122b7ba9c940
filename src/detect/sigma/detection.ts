import type { ProblemLog } from '../load/problems';
import { describeKind, entry, positionIn, type YMap, type YNode, type YScalar } from '../load/yaml-tree';
import { identifiersMatching, parseCondition, type ConditionAst } from './condition';
import { compileFieldCondition, compileKeywords, type FieldUse } from './field-condition';
import { and, NotNode, or, type DetectionNode } from './logic';

const RESERVED = new Set(['condition', 'timeframe']);

/**
 * Compiles a rule's `detection:` block: every search identifier, then the condition over them. Returns
 * undefined after logging located errors when anything cannot be compiled. Every field the detection reads
 * is added to `uses`, with where it is written.
 */
export function compileDetection(
  detection: YMap,
  log: ProblemLog,
  uses?: FieldUse[],
): DetectionNode | undefined {
  const before = log.errorCount;
  const searches = new Map<string, DetectionNode>();
  const order: string[] = [];
  for (const e of detection.entries) {
    if (RESERVED.has(e.key)) continue;
    order.push(e.key);
    const node = compileSearch(e.value, log, uses);
    if (node !== undefined) searches.set(e.key, node);
  }
  const timeframe = entry(detection, 'timeframe');
  if (timeframe !== undefined) {
    log.warning(
      timeframe.keyNode.pos,
      'timeframe is ignored: it only served Sigma v1 aggregations; use a correlation rule',
    );
  }
  const cond = entry(detection, 'condition');
  if (cond === undefined) {
    log.error(detection.pos, 'detection has no condition');
    return undefined;
  }
  const texts = conditionTexts(cond.value, log);
  if (texts === undefined) return undefined;
  const used = new Set<string>();
  const roots: DetectionNode[] = [];
  for (const scalar of texts) {
    const text = String(scalar.value);
    const parsed = parseCondition(text);
    if (!parsed.ok) {
      log.error(positionIn(scalar, parsed.error.offset), `condition: ${parsed.error.message}`);
      continue;
    }
    const resolved = resolve(parsed.ast, scalar, order, searches, used, log);
    if (resolved !== undefined) roots.push(resolved);
  }
  // (only when every condition parsed: otherwise every identifier would look unused)
  for (const e of roots.length === texts.length ? detection.entries : []) {
    if (!RESERVED.has(e.key) && !used.has(e.key)) {
      log.warning(e.keyNode.pos, `search identifier "${e.key}" is not used by the condition`);
    }
  }
  if (log.errorCount > before || roots.length === 0) return undefined;
  // a list of conditions (older Sigma) means any of them
  return or(roots);
}

function conditionTexts(value: YNode, log: ProblemLog): YScalar[] | undefined {
  const items = value.kind === 'seq' ? value.items : [value];
  const out: YScalar[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar' || typeof item.value !== 'string') {
      log.error(item.pos, `condition must be a string (or a list of strings), not ${describeKind(item)}`);
      return undefined;
    }
    out.push(item);
  }
  if (out.length === 0) log.error(value.pos, 'empty condition list');
  return out.length === 0 ? undefined : out;
}

/** A search identifier: a map (all fields match), a list of maps (any map), or keywords (any keyword). */
function compileSearch(value: YNode, log: ProblemLog, uses?: FieldUse[]): DetectionNode | undefined {
  if (value.kind === 'map') return compileSelection(value, log, uses);
  if (value.kind === 'scalar') {
    if (value.value === null) {
      log.error(value.pos, 'a search identifier needs field conditions or keywords, not null');
      return undefined;
    }
    return compileKeywords([value], log, uses);
  }
  if (value.items.length === 0) {
    log.error(value.pos, 'empty search identifier: it could never match');
    return undefined;
  }
  const maps = value.items.filter((i): i is YMap => i.kind === 'map');
  if (maps.length === 0) return compileKeywords(value.items, log, uses);
  if (maps.length !== value.items.length) {
    const odd = value.items.find((i) => i.kind !== 'map')!;
    log.error(odd.pos, `a list of field maps cannot also hold ${describeKind(odd)}`);
    return undefined;
  }
  const alternatives: DetectionNode[] = [];
  for (const m of maps) {
    const node = compileSelection(m, log, uses);
    if (node !== undefined) alternatives.push(node);
  }
  return alternatives.length === maps.length ? or(alternatives) : undefined;
}

function compileSelection(map: YMap, log: ProblemLog, uses?: FieldUse[]): DetectionNode | undefined {
  if (map.entries.length === 0) {
    log.error(map.pos, 'empty selection: a map of field conditions needs at least one field');
    return undefined;
  }
  const fields: DetectionNode[] = [];
  for (const e of map.entries) {
    const node = compileFieldCondition(e.keyNode, e.value, log, uses);
    if (node !== undefined) fields.push(node);
  }
  return fields.length === map.entries.length ? and(fields) : undefined;
}

function resolve(
  ast: ConditionAst,
  scalar: YScalar,
  identifiers: readonly string[],
  searches: ReadonlyMap<string, DetectionNode>,
  used: Set<string>,
  log: ProblemLog,
): DetectionNode | undefined {
  const walk = (a: ConditionAst): DetectionNode | undefined => {
    switch (a.type) {
      case 'and':
      case 'or': {
        const l = walk(a.left);
        const r = walk(a.right);
        if (l === undefined || r === undefined) return undefined;
        return a.type === 'and' ? and([l, r]) : or([l, r]);
      }
      case 'not': {
        const o = walk(a.operand);
        return o === undefined ? undefined : new NotNode(o);
      }
      case 'ref': {
        if (!identifiers.includes(a.name)) {
          log.error(positionIn(scalar, a.offset), `condition: unknown search identifier "${a.name}"`);
          return undefined;
        }
        used.add(a.name);
        return searches.get(a.name);
      }
      case 'of': {
        const names = identifiersMatching(a.target, identifiers);
        if (names.length === 0) {
          log.error(
            positionIn(scalar, a.offset),
            `condition: "${a.target}" matches no search identifier (have: ${identifiers.join(', ') || 'none'})`,
          );
          return undefined;
        }
        const nodes: DetectionNode[] = [];
        for (const n of names) {
          used.add(n);
          const node = searches.get(n);
          if (node === undefined) return undefined;
          nodes.push(node);
        }
        return a.quantity === 'all' ? and(nodes) : or(nodes);
      }
    }
  };
  return walk(ast);
}
