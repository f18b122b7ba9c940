/**
 * The value modifiers tuxwatch understands, and the rules for chaining them (`Field|base64offset|contains`).
 * A chain is checked as a whole before any value is compiled, and every refusal says why.
 */
export type Position = 'equals' | 'contains' | 'startswith' | 'endswith';
export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';
export type Encoding = 'utf16le' | 'utf16be' | 'utf16';
export type Test = 'string' | 're' | 'cidr' | 'exists' | 'compare' | 'fieldref';

export interface ModifierChain {
  /** how values are tested */
  readonly test: Test;
  /** where a string (or fieldref) value must occur */
  readonly position: Position;
  readonly comparison?: Comparison;
  /** a list of values must all match, not any */
  readonly all: boolean;
  /** case-sensitive string comparison */
  readonly cased: boolean;
  readonly regexFlags: { readonly i: boolean; readonly m: boolean; readonly s: boolean };
  readonly windash: boolean;
  readonly encoding?: Encoding;
  readonly base64?: 'base64' | 'base64offset';
}

type Role =
  | 'position'
  | 'list'
  | 'case'
  | 'regex'
  | 'regex-flag'
  | 'network'
  | 'exists'
  | 'compare'
  | 'fieldref'
  | 'windash'
  | 'base64'
  | 'encoding'
  | 'refused';

interface ModifierInfo {
  readonly role: Role;
  readonly summary: string;
}

export const MODIFIERS: Readonly<Record<string, ModifierInfo>> = {
  contains: { role: 'position', summary: 'the value occurs anywhere in the field' },
  startswith: { role: 'position', summary: 'the field starts with the value' },
  endswith: { role: 'position', summary: 'the field ends with the value' },
  all: { role: 'list', summary: 'every value of the list must match (default: any)' },
  cased: { role: 'case', summary: 'compare case-sensitively (default: case-insensitive)' },
  re: {
    role: 'regex',
    summary: 'RE2 regular expression, unanchored, case-sensitive; no backreferences or lookaround',
  },
  i: { role: 'regex-flag', summary: 're only: case-insensitive' },
  m: { role: 'regex-flag', summary: 're only: ^ and $ match at line breaks' },
  s: { role: 'regex-flag', summary: 're only: . matches a line break' },
  cidr: { role: 'network', summary: 'the field is an IPv4 or IPv6 address inside the network' },
  exists: { role: 'exists', summary: 'true: the field is present (not null); false: it is missing' },
  gt: { role: 'compare', summary: 'the field is a number greater than the value' },
  gte: { role: 'compare', summary: 'the field is a number greater than or equal to the value' },
  lt: { role: 'compare', summary: 'the field is a number less than the value' },
  lte: { role: 'compare', summary: 'the field is a number less than or equal to the value' },
  fieldref: { role: 'fieldref', summary: 'the value names another field; both fields must be equal' },
  windash: { role: 'windash', summary: 'also match with - replaced by / – — ― at the start of an option' },
  base64: { role: 'base64', summary: 'match the base64 encoding of the value' },
  base64offset: {
    role: 'base64',
    summary: 'with contains: the value base64-encoded at any of the 3 offsets',
  },
  utf16le: { role: 'encoding', summary: 'encode as UTF-16LE before base64/base64offset' },
  wide: { role: 'encoding', summary: 'alias of utf16le' },
  utf16be: { role: 'encoding', summary: 'encode as UTF-16BE before base64/base64offset' },
  utf16: { role: 'encoding', summary: 'encode as UTF-16 with a byte-order mark before base64/base64offset' },
  expand: { role: 'refused', summary: 'refused: placeholders need a processing pipeline' },
};

const REFUSED: Readonly<Record<string, string>> = {
  expand:
    'modifier "expand" refused: %placeholder% values are filled by a pySigma processing pipeline, which ' +
    'tuxwatch does not have; write the values out',
};

export type ChainResult =
  | { readonly ok: true; readonly chain: ModifierChain }
  | { readonly ok: false; readonly index: number; readonly reason: string };

/** Checks a chain (the names after the field, in order). `index` of a refusal points at the culprit. */
export function parseModifierChain(names: readonly string[]): ChainResult {
  const fail = (index: number, reason: string): ChainResult => ({ ok: false, index, reason });
  const seen = new Map<string, number>();
  let test: Test = 'string';
  let testAt = -1;
  let position: Position = 'equals';
  let positionAt = -1;
  let comparison: Comparison | undefined;
  let all = false;
  let cased = false;
  const regexFlags = { i: false, m: false, s: false };
  let windash = false;
  let encoding: Encoding | undefined;
  let base64: 'base64' | 'base64offset' | undefined;
  let base64At = -1;
  let caseAt = -1;

  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    if (name === '') return fail(k, 'empty modifier (two "|" in a row, or a trailing "|")');
    const info = Object.prototype.hasOwnProperty.call(MODIFIERS, name) ? MODIFIERS[name] : undefined;
    if (info === undefined) {
      return fail(k, `unknown modifier "${name}" (known: ${Object.keys(MODIFIERS).join(', ')})`);
    }
    const canonical = name === 'wide' ? 'utf16le' : name;
    if (seen.has(canonical)) return fail(k, `modifier "${name}" given twice`);
    seen.set(canonical, k);
    switch (info.role) {
      case 'refused':
        return fail(k, REFUSED[name] ?? `modifier "${name}" refused`);
      case 'position':
        if (positionAt >= 0)
          return fail(k, `"${name}" conflicts with "${names[positionAt]}": a value has one position`);
        position = name as Position;
        positionAt = k;
        break;
      case 'list':
        all = true;
        break;
      case 'case':
        cased = true;
        caseAt = k;
        break;
      case 'regex-flag':
        if (test !== 're') return fail(k, `"${name}" is a flag of re and must follow it (Field|re|${name})`);
        regexFlags[name as 'i' | 'm' | 's'] = true;
        break;
      case 'regex':
      case 'network':
      case 'exists':
      case 'compare':
      case 'fieldref': {
        if (testAt >= 0) return fail(k, `"${name}" cannot be combined with "${names[testAt]}"`);
        test = ROLE_TEST[info.role];
        testAt = k;
        if (info.role === 'compare') comparison = name as Comparison;
        break;
      }
      case 'windash':
        if (base64 !== undefined)
          return fail(k, `windash must come before ${base64}: it rewrites the text, not its encoding`);
        windash = true;
        break;
      case 'encoding': {
        if (encoding !== undefined)
          return fail(k, `only one text encoding per value ("${name}" after "${encoding}")`);
        const next = names[k + 1];
        if (next !== 'base64' && next !== 'base64offset') {
          return fail(
            k,
            `"${name}" turns the value into UTF-16 bytes, which only base64 or base64offset can follow: ` +
              'tuxwatch compares text, so a raw UTF-16 value could never match',
          );
        }
        encoding = canonical as Encoding;
        break;
      }
      case 'base64':
        if (base64 !== undefined) return fail(k, `"${name}" cannot be combined with "${base64}"`);
        if (positionAt >= 0) {
          return fail(
            positionAt,
            `"${names[positionAt]}" must come after ${name}: its wildcards would be encoded too`,
          );
        }
        base64 = name as 'base64' | 'base64offset';
        base64At = k;
        break;
    }
  }

  const usedWith = (what: string): string => `"${names[testAt]}" cannot be combined with ${what}`;
  if (test !== 'string') {
    if (test !== 'fieldref' && positionAt >= 0) return fail(positionAt, usedWith(`"${names[positionAt]}"`));
    if (base64At >= 0) return fail(base64At, usedWith(`"${base64}"`));
    if (encoding !== undefined) return fail(seen.get(encoding)!, usedWith(`"${encoding}"`));
    if (windash) return fail(seen.get('windash')!, usedWith('"windash"'));
    if (caseAt >= 0 && test !== 'fieldref') {
      const hint = test === 're' ? ' (regexes are case-sensitive already; use re|i for insensitive)' : '';
      return fail(caseAt, usedWith('"cased"') + hint);
    }
    if (all && (test === 'exists' || test === 'compare')) return fail(seen.get('all')!, usedWith('"all"'));
  }
  if (base64 === 'base64offset' && position !== 'contains') {
    return fail(base64At, 'base64offset only makes sense followed by contains (Field|base64offset|contains)');
  }
  return {
    ok: true,
    chain: {
      test,
      position,
      all,
      cased,
      regexFlags,
      windash,
      ...(comparison !== undefined && { comparison }),
      ...(encoding !== undefined && { encoding }),
      ...(base64 !== undefined && { base64 }),
    },
  };
}

const ROLE_TEST: Readonly<Record<'regex' | 'network' | 'exists' | 'compare' | 'fieldref', Test>> = {
  regex: 're',
  network: 'cidr',
  exists: 'exists',
  compare: 'compare',
  fieldref: 'fieldref',
};
