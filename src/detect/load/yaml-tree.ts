import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** 1-based line and column in a rule file. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export type ScalarValue = string | number | boolean | null;

/**
 * A YAML document reduced to what a rule needs, every node carrying its position. The rest of the loader
 * never sees the `yaml` library's AST, so it cannot forget a location or meet an unresolved tag.
 */
export type YNode = YScalar | YMap | YSeq;

export interface YScalar {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  /** the scalar's text as written (for plain numbers: `0777`, `1e3`), when it is a single-line plain scalar */
  readonly source?: string;
  readonly pos: Position;
  /** columns between `pos` and the first character of the value (1 for a quoted scalar), or undefined when
   * offsets inside the value cannot be mapped to columns (block and multi-line scalars) */
  readonly textStart?: number;
}

export interface YEntry {
  readonly key: string;
  readonly keyNode: YScalar;
  readonly value: YNode;
}

export interface YMap {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
  readonly pos: Position;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly pos: Position;
}

export interface TreeProblem {
  readonly pos: Position;
  readonly message: string;
}

/** YAML 1.2 core tags, harmless when written explicitly (`!!str 0123`). Every other tag is refused. */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Aliases may be used, but not to build exponential documents ("billion laughs") or cycles, nor to multiply
 * one wide anchor: what aliases expand to is counted too (99 aliases of a 300,000-item list are 30 million
 * nodes from a 3 MB file). A rule's own nodes are not counted: a 4 MiB file of values is fine.
 */
const MAX_ALIASES = 100;
const MAX_ALIAS_EXPANSION = 100_000;
const MAX_DEPTH = 64;

export function entry(map: YMap, key: string): YEntry | undefined {
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

/** Position of the `offset`-th character of a scalar's value, when it can be known; else the scalar's. */
export function positionIn(node: YScalar, offset: number): Position {
  if (node.textStart === undefined) return node.pos;
  return { line: node.pos.line, col: node.pos.col + node.textStart + offset };
}

export function describeKind(node: YNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  const v = node.value;
  return v === null ? 'null' : typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

/** Converts one parsed document; problems are refused tags, non-scalar keys and alias abuse. */
export function toTree(
  doc: Document,
  lines: LineCounter,
): { root: YNode | undefined; problems: TreeProblem[] } {
  const problems: TreeProblem[] = [];
  let aliases = 0;
  /** nodes produced through aliases so far; past the budget, conversion stops at once */
  let expanded = 0;
  let exhausted = false;
  const at = (offset: number | undefined): Position => {
    const p = lines.linePos(offset ?? 0);
    return { line: p.line, col: p.col };
  };

  const convert = (
    node: unknown,
    depth: number,
    resolving: ReadonlySet<unknown>,
    viaAlias = false,
  ): YNode | undefined => {
    if (exhausted) return undefined;
    if (viaAlias && ++expanded > MAX_ALIAS_EXPANSION) {
      exhausted = true;
      problems.push({
        pos: at(rangeStart(node)),
        message: `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes in one document`,
      });
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      problems.push({ pos: at(rangeStart(node)), message: `YAML nesting deeper than ${MAX_DEPTH} levels` });
      return undefined;
    }
    if (isAlias(node)) {
      aliases++;
      const pos = at(node.range?.[0]);
      if (aliases > MAX_ALIASES) {
        problems.push({ pos, message: `more than ${MAX_ALIASES} YAML aliases in one document` });
        return undefined;
      }
      const target = node.resolve(doc);
      if (target === undefined || resolving.has(target)) {
        problems.push({ pos, message: `YAML alias *${node.source} does not resolve to a finished node` });
        return undefined;
      }
      return convert(target, depth + 1, resolving, true);
    }
    if (node === null || node === undefined) return undefined;
    const tag = (node as Node).tag;
    const pos = at(rangeStart(node));
    if (typeof tag === 'string' && !CORE_TAGS.has(tag)) {
      problems.push({
        pos,
        message: `YAML tag ${displayTag(tag)} refused: rules are plain data, custom tags are never interpreted`,
      });
      return undefined;
    }
    if (isScalar(node)) return scalar(node, pos);
    const inner = new Set(resolving).add(node);
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items) {
        const keyPos = at(rangeStart(pair.key) ?? rangeStart(pair.value));
        const key = pair.key === null ? undefined : convert(pair.key, depth + 1, inner, viaAlias);
        if (key === undefined) {
          if (pair.key === null) problems.push({ pos: keyPos, message: 'mapping entry without a key' });
          continue;
        }
        if (key.kind !== 'scalar' || key.value === null) {
          problems.push({ pos: key.pos, message: 'mapping keys must be strings' });
          continue;
        }
        const keyNode: YScalar = { ...key, value: String(key.value) };
        const value = pair.value === null ? nullAt(keyNode) : convert(pair.value, depth + 1, inner, viaAlias);
        if (value === undefined) continue;
        entries.push({ key: String(key.value), keyNode, value });
      }
      return { kind: 'map', entries, pos };
    }
    if (isSeq(node)) {
      const items: YNode[] = [];
      for (const item of node.items) {
        const converted =
          item === null
            ? nullAt({ kind: 'scalar', value: null, pos })
            : convert(item, depth + 1, inner, viaAlias);
        if (converted !== undefined) items.push(converted);
      }
      return { kind: 'seq', items, pos };
    }
    problems.push({ pos, message: 'unsupported YAML node' });
    return undefined;
  };

  const root = doc.contents === null ? undefined : convert(doc.contents, 0, new Set());
  return { root, problems };
}

function scalar(node: import('yaml').Scalar, pos: Position): YScalar {
  const raw: unknown = node.value;
  let value: ScalarValue;
  if (raw === null || typeof raw === 'string' || typeof raw === 'boolean') value = raw;
  else if (typeof raw === 'number') value = Number.isFinite(raw) ? raw : String(node.source ?? raw);
  else value = String(raw);
  const single = !(typeof node.source === 'string' && node.source.includes('\n'));
  const type = node.type;
  const textStart =
    type === 'PLAIN' && single
      ? 0
      : (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') && single
        ? 1
        : undefined;
  const source = type === 'PLAIN' && single && typeof node.source === 'string' ? node.source : undefined;
  return {
    kind: 'scalar',
    value,
    pos,
    ...(source !== undefined && { source }),
    ...(textStart !== undefined && { textStart }),
  };
}

function nullAt(near: YScalar): YScalar {
  return { kind: 'scalar', value: null, pos: near.pos };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

function displayTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}
