import { ANY, DASH, DASH_CHARS, ONE, type SigmaString } from './sigma-string';

/**
 * A run of pattern text between `*`s. `one` marks positions that are not literal: 1 for `?` (any single code
 * unit), 2 for a windash position (any of DASH_CHARS).
 */
interface Segment {
  readonly text: string;
  readonly one: Uint8Array | null;
}

const ANY_UNIT = 1;
const DASH_UNIT = 2;

const enum Kind {
  Exact,
  Prefix,
  Suffix,
  Contains,
  AnyValue,
  General,
}

/**
 * A compiled Sigma wildcard pattern. The common shapes (exact, prefix, suffix, contains) run on native string
 * methods; the general shape matches its segments left to right (greedy leftmost is exact for `*` globs), so
 * matching is O(value × pattern) at worst and never backtracks exponentially. No JS RegExp is built from rule
 * text.
 */
export class GlobPattern {
  private constructor(
    private readonly kind: Kind,
    /** the literal for Exact/Prefix/Suffix/Contains */
    private readonly text: string,
    private readonly segments: readonly Segment[],
    private readonly anchoredStart: boolean,
    private readonly anchoredEnd: boolean,
  ) {}

  /** `lower`: compare against lowercased values (the Sigma default); the pattern is lowercased here, once. */
  static compile(value: SigmaString, lower: boolean): GlobPattern {
    const parts = value.parts;
    const segments: Segment[] = [];
    let text = '';
    let marks: [number, number][] = [];
    const flush = (): void => {
      if (text) segments.push({ text, one: marks.length ? toMask(text.length, marks) : null });
      text = '';
      marks = [];
    };
    for (const p of parts) {
      if (p === ANY) flush();
      else if (p === ONE || p === DASH) {
        marks.push([text.length, p === ONE ? ANY_UNIT : DASH_UNIT]);
        text += '\0';
      } else text += lower ? p.toLowerCase() : p;
    }
    flush();
    const anchoredStart = parts[0] !== ANY;
    const anchoredEnd = parts[parts.length - 1] !== ANY;
    const simple = segments.length === 1 && segments[0]!.one === null ? segments[0]!.text : undefined;
    if (segments.length === 0) {
      // "" (must be empty) or only stars (anything)
      return parts.length === 0
        ? new GlobPattern(Kind.Exact, '', segments, true, true)
        : new GlobPattern(Kind.AnyValue, '', segments, false, false);
    }
    if (simple !== undefined) {
      const kind =
        anchoredStart && anchoredEnd
          ? Kind.Exact
          : anchoredStart
            ? Kind.Prefix
            : anchoredEnd
              ? Kind.Suffix
              : Kind.Contains;
      return new GlobPattern(kind, simple, segments, anchoredStart, anchoredEnd);
    }
    return new GlobPattern(Kind.General, '', segments, anchoredStart, anchoredEnd);
  }

  /** the exact value this pattern equals, when it has no wildcard (used for hash lookups) */
  get exactValue(): string | undefined {
    return this.kind === Kind.Exact ? this.text : undefined;
  }

  test(v: string): boolean {
    switch (this.kind) {
      case Kind.Exact:
        return v === this.text;
      case Kind.Prefix:
        return v.startsWith(this.text);
      case Kind.Suffix:
        return v.endsWith(this.text);
      case Kind.Contains:
        return v.includes(this.text);
      case Kind.AnyValue:
        return true;
      default:
        return this.general(v);
    }
  }

  /**
   * Literal substrings every matching value contains (as written in the compiled pattern, so lowercased when
   * the pattern is): the `?`-free runs of each segment.
   */
  literalRuns(): string[] {
    const runs: string[] = [];
    for (const seg of this.segments) {
      let run = '';
      for (let i = 0; i < seg.text.length; i++) {
        if (seg.one !== null && seg.one[i] !== 0) {
          if (run) runs.push(run);
          run = '';
        } else run += seg.text[i];
      }
      if (run) runs.push(run);
    }
    return runs;
  }

  private general(v: string): boolean {
    const segs = this.segments;
    let lo = 0;
    let hi = v.length;
    let first = 0;
    let last = segs.length;
    if (this.anchoredStart) {
      const s = segs[0]!;
      if (s.text.length > v.length || !matchAt(v, s, 0)) return false;
      lo = s.text.length;
      first = 1;
      if (segs.length === 1 && this.anchoredEnd) return lo === v.length;
    }
    if (this.anchoredEnd && last > first) {
      const s = segs[last - 1]!;
      const start = v.length - s.text.length;
      if (start < lo || !matchAt(v, s, start)) return false;
      hi = start;
      last--;
    }
    for (let k = first; k < last; k++) {
      const s = segs[k]!;
      const at = find(v, s, lo, hi);
      if (at < 0) return false;
      lo = at + s.text.length;
    }
    return true;
  }
}

function toMask(length: number, marks: readonly (readonly [number, number])[]): Uint8Array {
  const mask = new Uint8Array(length);
  for (const [at, unit] of marks) mask[at] = unit;
  return mask;
}

function matchAt(v: string, s: Segment, at: number): boolean {
  const t = s.text;
  const one = s.one;
  for (let i = 0; i < t.length; i++) {
    const unit = one === null ? 0 : one[i];
    if (unit === ANY_UNIT) continue;
    if (unit === DASH_UNIT) {
      if (DASH_CHARS.indexOf(v.charAt(at + i)) < 0 || at + i >= v.length) return false;
    } else if (v.charCodeAt(at + i) !== t.charCodeAt(i)) return false;
  }
  return true;
}

/** leftmost start >= lo where the segment fits before hi, or -1 */
function find(v: string, s: Segment, lo: number, hi: number): number {
  const len = s.text.length;
  if (s.one === null) {
    const at = v.indexOf(s.text, lo);
    return at >= 0 && at + len <= hi ? at : -1;
  }
  for (let at = lo; at + len <= hi; at++) if (matchAt(v, s, at)) return at;
  return -1;
}
