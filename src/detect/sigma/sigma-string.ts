/** `*`: any run of characters. */
export const ANY: unique symbol = Symbol('*');
/** `?`: exactly one character (one UTF-16 code unit). */
export const ONE: unique symbol = Symbol('?');

/** windash: one of `-` `/` `–` `—` `―` (the characters Windows accepts to start an option). */
export const DASH: unique symbol = Symbol('windash');

export const DASH_CHARS = '-/\u2013\u2014\u2015';

export type Part = string | typeof ANY | typeof ONE | typeof DASH;

/**
 * A Sigma string value: literal text and wildcards. Escapes follow Sigma: `\*`, `\?` and `\\` are the literal
 * characters; a backslash before anything else is a literal backslash (so Windows-style paths need no
 * doubling).
 */
export class SigmaString {
  private constructor(readonly parts: readonly Part[]) {}

  static parse(text: string): SigmaString {
    const parts: Part[] = [];
    let lit = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === '*' || next === '?' || next === '\\') {
          lit += next;
          i++;
        } else lit += c;
      } else if (c === '*' || c === '?') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(c === '*' ? ANY : ONE);
      } else lit += c;
    }
    if (lit) parts.push(lit);
    return new SigmaString(parts);
  }

  static literal(text: string): SigmaString {
    return new SigmaString(text ? [text] : []);
  }

  static of(parts: readonly Part[]): SigmaString {
    const merged: Part[] = [];
    for (const p of parts) {
      const last = merged[merged.length - 1];
      if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
      else if (p !== '') merged.push(p);
    }
    return new SigmaString(merged);
  }

  /** has `*` or `?` */
  get hasWildcards(): boolean {
    return this.parts.some((p) => p === ANY || p === ONE);
  }

  /** the text when it is nothing but text */
  get plain(): string | undefined {
    return this.parts.every((p) => typeof p === 'string') ? this.parts.join('') : undefined;
  }

  withLeadingAny(): SigmaString {
    return this.parts[0] === ANY ? this : SigmaString.of([ANY, ...this.parts]);
  }

  withTrailingAny(): SigmaString {
    return this.parts[this.parts.length - 1] === ANY ? this : SigmaString.of([...this.parts, ANY]);
  }

  /**
   * windash: every `-` or `/` that starts an option (after a non-word character or at the start, before a
   * word character) becomes any of the dash characters.
   */
  withWindash(): SigmaString {
    const units: Part[] = [];
    for (const p of this.parts) {
      if (typeof p === 'string') for (const c of p) units.push(c);
      else units.push(p);
    }
    const isWord = (u: Part | undefined): boolean => typeof u === 'string' && /^[A-Za-z0-9_]$/.test(u);
    const out = units.map((u, i) =>
      (u === '-' || u === '/') && !isWord(units[i - 1]) && isWord(units[i + 1]) ? DASH : u,
    );
    return SigmaString.of(out);
  }

  /** every text this string stands for when DASH positions are spelled out (for base64 of windash values) */
  dashVariants(limit: number): string[] | undefined {
    let variants = [''];
    for (const p of this.parts) {
      if (p === ANY || p === ONE) return undefined;
      if (p === DASH) {
        if (variants.length * DASH_CHARS.length > limit) return undefined;
        variants = variants.flatMap((v) => [...DASH_CHARS].map((d) => v + d));
      } else variants = variants.map((v) => v + p);
    }
    return variants;
  }

  /** Sigma's written form, escapes included (for messages). */
  toString(): string {
    return this.parts
      .map((p) =>
        p === ANY ? '*' : p === ONE ? '?' : p === DASH ? '[-/]' : p.replace(/[\\*?]/g, (c) => `\\${c}`),
      )
      .join('');
  }
}
