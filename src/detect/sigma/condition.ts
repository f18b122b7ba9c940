/**
 * The Sigma condition language:
 *
 *   expr     := and-expr ('or' and-expr)*
 *   and-expr := not-expr ('and' not-expr)*
 *   not-expr := 'not' not-expr | primary
 *   primary  := '(' expr ')' | quantity 'of' target | identifier
 *   quantity := '1' | 'any' | 'all'
 *   target   := 'them' | identifier-pattern (with * wildcards)
 *
 * so `not` binds tighter than `and`, which binds tighter than `or`. Keywords are case-insensitive. Every error
 * carries the offset of the offending token in the condition text.
 */
export type ConditionAst =
  | { readonly type: 'and' | 'or'; readonly left: ConditionAst; readonly right: ConditionAst }
  | { readonly type: 'not'; readonly operand: ConditionAst }
  | { readonly type: 'ref'; readonly name: string; readonly offset: number }
  | {
      readonly type: 'of';
      readonly quantity: 'any' | 'all';
      /** `them`, or an identifier pattern */
      readonly target: string;
      readonly offset: number;
    };

export interface ConditionError {
  readonly message: string;
  readonly offset: number;
}

export type ParseResult =
  { readonly ok: true; readonly ast: ConditionAst } | { readonly ok: false; readonly error: ConditionError };

type TokenKind = 'word' | '(' | ')' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly offset: number;
}

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any', '1']);

/**
 * Bounds on what a condition may be: the parser, the compiler and the matcher all walk the tree recursively,
 * so a condition nested 100,000 deep (or a chain of 100,000 `and`s, a tree as deep) must be refused here,
 * located, rather than exhaust the stack further on. Real conditions are a few levels and a few dozen terms.
 */
export const MAX_CONDITION_DEPTH = 64;
export const MAX_CONDITION_TERMS = 1_000;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, offset: i });
      i++;
    } else if (c === '|') {
      throw new ConditionSyntaxError(
        'Sigma v1 aggregations ("| count() ...") are not supported: write a correlation rule instead',
        i,
      );
    } else {
      const start = i;
      while (i < text.length && !' \t\n\r()|'.includes(text[i]!)) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), offset: start });
    }
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[]) {
    const words = tokens.filter((t) => t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase()));
    if (words.length > MAX_CONDITION_TERMS) {
      throw new ConditionSyntaxError(
        `condition has more than ${MAX_CONDITION_TERMS} terms: use "1 of sel*" or "all of sel*" over many selections`,
        words[MAX_CONDITION_TERMS]!.offset,
      );
    }
  }

  /** Enters a `(` or a `not`: refused past the depth bound, at the token that crosses it. */
  private nest(t: Token): void {
    if (++this.depth > MAX_CONDITION_DEPTH)
      throw new ConditionSyntaxError(`condition nested deeper than ${MAX_CONDITION_DEPTH} levels`, t.offset);
  }

  parse(): ConditionAst {
    if (this.peek().kind === 'end') throw new ConditionSyntaxError('empty condition', 0);
    const ast = this.orExpr();
    const t = this.peek();
    if (t.kind !== 'end') {
      throw new ConditionSyntaxError(
        t.kind === ')' ? 'unbalanced ")"' : `expected "and", "or" or the end, found "${t.text}"`,
        t.offset,
      );
    }
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private orExpr(): ConditionAst {
    let left = this.andExpr();
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { type: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): ConditionAst {
    let left = this.notExpr();
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { type: 'and', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): ConditionAst {
    if (this.isWord(this.peek(), 'not')) {
      this.nest(this.next());
      const operand = this.notExpr();
      this.depth--;
      return { type: 'not', operand };
    }
    return this.primary();
  }

  private primary(): ConditionAst {
    const t = this.next();
    if (t.kind === '(') {
      this.nest(t);
      const inner = this.orExpr();
      this.depth--;
      const close = this.next();
      if (close.kind !== ')') {
        throw new ConditionSyntaxError(
          close.kind === 'end'
            ? `"(" at offset ${t.offset} is never closed`
            : `expected ")", found "${close.text}"`,
          close.kind === 'end' ? t.offset : close.offset,
        );
      }
      return inner;
    }
    if (t.kind === ')') throw new ConditionSyntaxError('unexpected ")"', t.offset);
    if (t.kind === 'end')
      throw new ConditionSyntaxError('the condition ends where an identifier was expected', t.offset);
    const word = t.text.toLowerCase();
    if (this.isWord(this.peek(), 'of')) {
      if (word !== '1' && word !== 'any' && word !== 'all') {
        throw new ConditionSyntaxError(
          `"${t.text} of" is not Sigma: use "1 of", "any of" or "all of"`,
          t.offset,
        );
      }
      this.next();
      const target = this.next();
      if (
        target.kind !== 'word' ||
        (KEYWORDS.has(target.text.toLowerCase()) && target.text.toLowerCase() !== 'them')
      ) {
        throw new ConditionSyntaxError(
          `"${t.text} of" needs "them" or an identifier pattern, found ${target.kind === 'end' ? 'the end' : `"${target.text}"`}`,
          target.offset,
        );
      }
      const quantity = word === 'all' ? 'all' : 'any';
      const name = target.text.toLowerCase() === 'them' ? 'them' : target.text;
      return { type: 'of', quantity, target: name, offset: t.offset };
    }
    if (KEYWORDS.has(word)) {
      throw new ConditionSyntaxError(`unexpected "${t.text}" where an identifier was expected`, t.offset);
    }
    if (t.text.includes('*')) {
      throw new ConditionSyntaxError(
        `wildcard identifier "${t.text}" needs "1 of" or "all of" before it`,
        t.offset,
      );
    }
    return { type: 'ref', name: t.text, offset: t.offset };
  }
}

export function parseCondition(text: string): ParseResult {
  try {
    return { ok: true, ast: new Parser(tokenize(text)).parse() };
  } catch (err) {
    if (err instanceof ConditionSyntaxError)
      return { ok: false, error: { message: err.message, offset: err.offset } };
    throw err;
  }
}

/** Identifiers an `of` target covers: `them` is every identifier not starting with `_`; `*` is a wildcard. */
export function identifiersMatching(target: string, identifiers: readonly string[]): string[] {
  if (target === 'them') return identifiers.filter((id) => !id.startsWith('_'));
  return identifiers.filter((id) => wildcardEquals(target, id));
}

function wildcardEquals(pattern: string, s: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === s;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!s.startsWith(first) || !s.endsWith(last) || s.length < first.length + last.length) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let k = 1; k < parts.length - 1; k++) {
    const found = s.indexOf(parts[k]!, at);
    if (found < 0 || found + parts[k]!.length > end) return false;
    at = found + parts[k]!.length;
  }
  return true;
}
