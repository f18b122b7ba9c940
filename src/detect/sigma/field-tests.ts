import type { RE2JS } from 're2js';
import type { FieldValue } from '../../domain/event';
import { parseAddress, type Network } from './cidr';
import { isDecimal, numericValue, type EventView, type TextValues } from './event-view';
import type { GlobPattern } from './glob';
import { needsField, type DetectionNode, type FieldPresence, type Reach } from './logic';
import type { Comparison } from './modifiers';
import { anyOf, bestAsciiRun, type Requirement } from './requirement';

/**
 * Field tests: the leaves of a detection. A field with several values (an array field) matches when any of its
 * values does. A missing or null field matches nothing but the `null` value and `exists: false`.
 */

/** A test of one value; the helpers below walk array fields without allocating a closure per event. */
interface OneText {
  one(s: string): boolean;
}
interface OneRaw {
  oneRaw(v: string | number | boolean): boolean;
}

function someText(v: TextValues, t: OneText): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return t.one(v);
  for (const s of v) if (t.one(s)) return true;
  return false;
}

function someRaw(v: FieldValue | undefined, t: OneRaw): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'object') return t.oneRaw(v);
  for (const s of v) if (t.oneRaw(s)) return true;
  return false;
}

/** Any of several wildcard patterns; plain values go through one hash lookup. */
export class StringTest implements DetectionNode {
  private readonly exact: ReadonlySet<string> | null;
  private readonly patterns: readonly GlobPattern[];

  constructor(
    private readonly slot: number,
    private readonly lower: boolean,
    patterns: readonly GlobPattern[],
  ) {
    const exact = new Set<string>();
    const rest: GlobPattern[] = [];
    for (const p of patterns) {
      const v = p.exactValue;
      if (v === undefined) rest.push(p);
      else exact.add(v);
    }
    this.exact = exact.size > 0 ? exact : null;
    this.patterns = rest;
  }

  match(view: EventView): boolean {
    const v = this.lower ? view.lower(this.slot) : view.text(this.slot);
    if (v === null) return false;
    if (typeof v === 'string') return this.one(v);
    for (const s of v) if (this.one(s)) return true;
    return false;
  }

  private one(s: string): boolean {
    if (this.exact !== null && this.exact.has(s)) return true;
    for (const p of this.patterns) if (p.test(s)) return true;
    return false;
  }

  requirement(): Requirement {
    const reqs: Requirement[] = [];
    for (const v of this.exact ?? []) reqs.push(literalNeed(this.slot, [v]));
    for (const p of this.patterns) reqs.push(literalNeed(this.slot, p.literalRuns()));
    return anyOf(reqs);
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

/** One wildcard pattern that must match some value of the field (the `all` modifier makes an AND of them). */
export class PatternTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly lower: boolean,
    private readonly pattern: GlobPattern,
  ) {}

  match(view: EventView): boolean {
    const v = this.lower ? view.lower(this.slot) : view.text(this.slot);
    const p = this.pattern;
    if (v === null) return false;
    if (typeof v === 'string') return p.test(v);
    for (const s of v) if (p.test(s)) return true;
    return false;
  }

  requirement(): Requirement {
    return literalNeed(this.slot, this.pattern.literalRuns());
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

function literalNeed(slot: number, runs: readonly string[]): Requirement {
  const literal = bestAsciiRun(runs);
  return literal === undefined ? null : [{ slot, literal }];
}

/** A number in the rule: equal as a number, or as its written form ("0", "0777"). */
export class NumberTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly value: number,
    private readonly written: string,
  ) {}

  match(view: EventView): boolean {
    return someRaw(view.raw(this.slot), this);
  }

  oneRaw(v: string | number | boolean): boolean {
    if (typeof v === 'number') return v === this.value;
    if (typeof v !== 'string') return false;
    return v === this.written || (isDecimal(v) && Number(v) === this.value);
  }

  requirement(): Requirement {
    return null;
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

/** `Field: null`: the field is missing or null. */
export class MissingTest implements DetectionNode {
  constructor(private readonly slot: number) {}
  match(view: EventView): boolean {
    return view.text(this.slot) === null;
  }
  requirement(): Requirement {
    return null;
  }
  reach(present: FieldPresence): Reach {
    return present(this.slot) ? 'maybe' : 'always';
  }
}

export class ExistsTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly expected: boolean,
  ) {}
  match(view: EventView): boolean {
    return (view.text(this.slot) !== null) === this.expected;
  }
  requirement(): Requirement {
    return null;
  }
  reach(present: FieldPresence): Reach {
    if (this.expected) return needsField(present, this.slot);
    return present(this.slot) ? 'maybe' : 'always';
  }
}

export class CompareTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly op: Comparison,
    private readonly bound: number,
  ) {}
  match(view: EventView): boolean {
    return someRaw(view.raw(this.slot), this);
  }

  oneRaw(v: string | number | boolean): boolean {
    const n = numericValue(v);
    if (n === undefined) return false;
    switch (this.op) {
      case 'gt':
        return n > this.bound;
      case 'gte':
        return n >= this.bound;
      case 'lt':
        return n < this.bound;
      default:
        return n <= this.bound;
    }
  }
  requirement(): Requirement {
    return null;
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

/** A precompiled RE2 regex, unanchored, on the field's text as it is (case-sensitive unless `re|i`). */
export class RegexTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly regex: RE2JS,
  ) {}
  match(view: EventView): boolean {
    return someText(view.text(this.slot), this);
  }

  one(s: string): boolean {
    return this.regex.test(s);
  }
  requirement(): Requirement {
    return null;
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

export class CidrTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly networks: readonly Network[],
  ) {}
  match(view: EventView): boolean {
    return someText(view.text(this.slot), this);
  }

  one(s: string): boolean {
    const a = parseAddress(s);
    if (a === undefined) return false;
    for (const n of this.networks) if (n.contains(a)) return true;
    return false;
  }
  requirement(): Requirement {
    return null;
  }

  reach(present: FieldPresence): Reach {
    return needsField(present, this.slot);
  }
}

/** `fieldref`: this field's value equals (or contains, starts or ends with) another field's value. */
export class FieldRefTest implements DetectionNode {
  constructor(
    private readonly slot: number,
    private readonly other: number,
    private readonly position: 'equals' | 'contains' | 'startswith' | 'endswith',
    private readonly lower: boolean,
  ) {}
  match(view: EventView): boolean {
    const mine = this.lower ? view.lower(this.slot) : view.text(this.slot);
    const theirs = this.lower ? view.lower(this.other) : view.text(this.other);
    if (mine === null || theirs === null) return false;
    if (typeof theirs === 'string') return this.against(mine, theirs);
    for (const ref of theirs) if (this.against(mine, ref)) return true;
    return false;
  }

  private against(mine: string | readonly string[], ref: string): boolean {
    if (typeof mine === 'string') return this.pair(mine, ref);
    for (const s of mine) if (this.pair(s, ref)) return true;
    return false;
  }

  private pair(s: string, ref: string): boolean {
    switch (this.position) {
      case 'contains':
        return s.includes(ref);
      case 'startswith':
        return s.startsWith(ref);
      case 'endswith':
        return s.endsWith(ref);
      default:
        return s === ref;
    }
  }

  requirement(): Requirement {
    return null;
  }

  reach(present: FieldPresence): Reach {
    return present(this.slot) && present(this.other) ? 'maybe' : 'never';
  }
}
