import { RE2JS } from 're2js';
import type { ProblemLog } from '../load/problems';
import { describeKind, positionIn, type Position, type YNode, type YScalar } from '../load/yaml-tree';
import { base64, base64Offsets, encodeText } from './base64';
import { Network } from './cidr';
import { KEYWORD_SLOT, resolveField } from './field-map';
import {
  CidrTest,
  CompareTest,
  ExistsTest,
  FieldRefTest,
  MissingTest,
  NumberTest,
  PatternTest,
  RegexTest,
  StringTest,
} from './field-tests';
import { GlobPattern } from './glob';
import { and, or, type DetectionNode } from './logic';
import { parseModifierChain, type ModifierChain } from './modifiers';
import { SigmaString } from './sigma-string';

/** A field a detection reads, where the rule names it: what `rules validate` reports a missing field at. */
export interface FieldUse {
  /** as the rule writes it (a Sigma name, an ECS name; empty for keywords) */
  readonly name: string;
  /** what it reads (field-map.ts `resolveField`) */
  readonly target: string;
  readonly slot: number;
  readonly pos: Position;
}

/** windash values are spelled out only under base64; more variants than this is a mistake in the rule. */
const MAX_VARIANTS = 625;

/**
 * Compiles `Field|mod|mod: value(s)` into a field test. Problems are logged at the key (modifier chain) or at
 * the offending value; the result is undefined when the condition cannot be compiled.
 */
export function compileFieldCondition(
  key: YScalar,
  value: YNode,
  log: ProblemLog,
  uses?: FieldUse[],
): DetectionNode | undefined {
  const text = String(key.value);
  const pieces = text.split('|');
  const field = pieces[0]!;
  const names = pieces.slice(1);
  const parsed = parseModifierChain(names);
  if (!parsed.ok) {
    const offset = field.length + 1 + names.slice(0, parsed.index).reduce((n, m) => n + m.length + 1, 0);
    log.error(positionIn(key, offset), parsed.reason);
    return undefined;
  }
  const values = valueList(value, log);
  if (values === undefined) return undefined;
  const { slot, target } = resolveField(field);
  uses?.push({ name: field, target, slot, pos: key.pos });
  if (parsed.chain.test === 'fieldref') {
    for (const v of values) {
      if (typeof v.value !== 'string' || v.value === '') continue;
      const other = resolveField(v.value);
      uses?.push({ name: v.value, target: other.target, slot: other.slot, pos: v.pos });
    }
  }
  return compileValues(slot, parsed.chain, values, field === '', log);
}

/** A keyword search: plain values (strings or numbers) that must occur in the raw message. */
export function compileKeywords(
  values: readonly YNode[],
  log: ProblemLog,
  uses?: FieldUse[],
): DetectionNode | undefined {
  const scalars: YScalar[] = [];
  for (const v of values) {
    if (v.kind !== 'scalar') {
      log.error(
        v.pos,
        `keyword lists hold strings, not ${describeKind(v)} (a list of maps cannot mix with keywords)`,
      );
      return undefined;
    }
    scalars.push(v);
  }
  const chain = parseModifierChain([]);
  if (!chain.ok) return undefined;
  if (scalars.length > 0) {
    const { target } = resolveField('');
    uses?.push({ name: '', target, slot: KEYWORD_SLOT, pos: scalars[0]!.pos });
  }
  return compileValues(KEYWORD_SLOT, chain.chain, scalars, true, log);
}

function valueList(value: YNode, log: ProblemLog): YScalar[] | undefined {
  if (value.kind === 'scalar') return [value];
  if (value.kind === 'map') {
    log.error(value.pos, 'a field takes a string, number, boolean, null or a list of them, not a mapping');
    return undefined;
  }
  if (value.items.length === 0) {
    log.error(value.pos, 'empty list of values: it could never match');
    return undefined;
  }
  const out: YScalar[] = [];
  for (const item of value.items) {
    if (item.kind !== 'scalar') {
      log.error(
        item.pos,
        `a list of values holds strings, numbers, booleans or null, not ${describeKind(item)}`,
      );
      return undefined;
    }
    out.push(item);
  }
  return out;
}

function compileValues(
  slot: number,
  chain: ModifierChain,
  values: readonly YScalar[],
  keyword: boolean,
  log: ProblemLog,
): DetectionNode | undefined {
  const tests: DetectionNode[] = [];
  const merged: GlobPattern[] = [];
  const lower = !chain.cased;
  let failed = false;
  for (const v of values) {
    const compiled = compileOne(slot, chain, v, keyword, log);
    if (compiled === false) failed = true;
    else if (!Array.isArray(compiled)) tests.push(compiled);
    else if (!chain.all) merged.push(...compiled);
    // under `all`, each value must match, though any of its own forms (base64 offsets, windash) will do
    else if (compiled.length === 1) tests.push(new PatternTest(slot, lower, compiled[0]!));
    else tests.push(new StringTest(slot, lower, compiled));
  }
  if (failed) return undefined;
  if (merged.length > 0) tests.unshift(new StringTest(slot, lower, merged));
  return chain.all ? and(tests) : or(tests);
}

/**
 * One value: its test, or the wildcard patterns it stands for (any of them matching is a match; string values
 * of a list are merged into one test by the caller), or false after logging a problem.
 */
function compileOne(
  slot: number,
  chain: ModifierChain,
  v: YScalar,
  keyword: boolean,
  log: ProblemLog,
): DetectionNode | GlobPattern[] | false {
  const value = v.value;
  const bad = (message: string): false => {
    log.error(v.pos, message);
    return false;
  };
  switch (chain.test) {
    case 'exists':
      if (typeof value !== 'boolean') return bad('exists takes true or false');
      return new ExistsTest(slot, value);
    case 'compare': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) return bad(`${chain.comparison} takes a number, not ${JSON.stringify(value)}`);
      return new CompareTest(slot, chain.comparison!, n);
    }
    case 'cidr': {
      const net = typeof value === 'string' ? Network.parse(value) : undefined;
      if (net === undefined)
        return bad(`cidr: ${JSON.stringify(value)} is not an IPv4 or IPv6 network (a.b.c.d/n, x::/n)`);
      return new CidrTest(slot, [net]);
    }
    case 're': {
      if (typeof value !== 'string') return bad(`re takes a string pattern, not ${JSON.stringify(value)}`);
      const flags =
        (chain.regexFlags.i ? RE2JS.CASE_INSENSITIVE : 0) |
        (chain.regexFlags.m ? RE2JS.MULTILINE : 0) |
        (chain.regexFlags.s ? RE2JS.DOTALL : 0);
      try {
        return new RegexTest(slot, RE2JS.compile(value, flags));
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return bad(
          `regex refused: ${why}. Rules use RE2 (linear time): backreferences (\\1), lookahead and lookbehind ` +
            'are not supported',
        );
      }
    }
    case 'fieldref': {
      if (typeof value !== 'string' || value === '') return bad('fieldref takes the name of another field');
      const other = resolveField(value);
      const position = chain.position;
      return new FieldRefTest(slot, other.slot, position, !chain.cased);
    }
    case 'string':
      break;
  }
  if (value === null) {
    if (keyword) return bad('a keyword cannot be null');
    if (chain.position !== 'equals' || chain.base64 !== undefined || chain.windash) {
      return bad('null (the field is missing) cannot take modifiers');
    }
    return new MissingTest(slot);
  }
  const plainEquality =
    !keyword && chain.position === 'equals' && chain.base64 === undefined && !chain.windash;
  if (typeof value === 'number' && plainEquality) {
    return new NumberTest(slot, value, v.source ?? String(value));
  }
  const written = typeof value === 'number' ? (v.source ?? String(value)) : String(value);
  let forms: SigmaString[] = [
    typeof value === 'string' ? SigmaString.parse(written) : SigmaString.literal(written),
  ];
  if (chain.windash) forms = forms.map((f) => f.withWindash());
  if (chain.base64 !== undefined) {
    const texts: string[] = [];
    for (const f of forms) {
      if (f.hasWildcards) return bad(`${chain.base64} cannot encode wildcards (* or ?): escape them with \\`);
      const variants = f.dashVariants(MAX_VARIANTS);
      if (variants === undefined) return bad(`windash gives more than ${MAX_VARIANTS} variants to encode`);
      texts.push(...variants);
    }
    forms = [];
    for (const t of texts) {
      const bytes = encodeText(t, chain.encoding);
      const encoded = chain.base64 === 'base64' ? [base64(bytes)] : base64Offsets(bytes);
      for (const e of encoded) forms.push(SigmaString.literal(e));
    }
  }
  const position = keyword && chain.position === 'equals' ? 'contains' : chain.position;
  const patterns: GlobPattern[] = [];
  for (const f of forms) {
    const placed =
      position === 'contains'
        ? f.withLeadingAny().withTrailingAny()
        : position === 'startswith'
          ? f.withTrailingAny()
          : position === 'endswith'
            ? f.withLeadingAny()
            : f;
    patterns.push(GlobPattern.compile(placed, !chain.cased));
  }
  return patterns;
}
