import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeJsonObject } from '../../../src/parse/json-record';

describe('looksLikeJsonObject', () => {
  it('answers what /^\\s*\\{/ answers, white space of every kind included', () => {
    const start = fc.constantFrom(
      '{',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\ufeff',
      '\u2028',
      '\u3000',
      'a',
      '[',
      '\u0000',
    );
    fc.assert(
      fc.property(fc.array(start, { maxLength: 4 }), fc.string(), (head, tail) => {
        const text = head.join('') + tail;
        expect(looksLikeJsonObject(text)).toBe(/^\s*\{/.test(text));
      }),
      { numRuns: 5000 },
    );
    expect(looksLikeJsonObject('{"a":1}')).toBe(true);
    expect(looksLikeJsonObject(' \ufeff{"a":1}')).toBe(true);
    expect(looksLikeJsonObject('Nov 26 08:10:47 web01 sshd[1]: {')).toBe(false);
    expect(looksLikeJsonObject('')).toBe(false);
  });
});
