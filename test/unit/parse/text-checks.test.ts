import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryJunk, isPlainLine, withoutLineEnd } from '../../../src/parse/text-checks';

/** Strings rich in the characters the checks are about: line ends, controls, U+FFFD, tab. */
const awkward = fc
  .array(fc.constantFrom('a', ' ', '\t', '\r', '\n', '\u0000', '\u001b', '\u007f', '\uFFFD', 'é'), {
    maxLength: 12,
  })
  .map((chars) => chars.join(''));

describe('text checks the syslog parser runs on every line', () => {
  it('withoutLineEnd drops one trailing line end, as the regex it replaces did', () => {
    fc.assert(
      fc.property(fc.oneof(awkward, fc.string()), (s) => {
        expect(withoutLineEnd(s)).toBe(s.replace(/\r?\n?$/, ''));
      }),
      { numRuns: 5000 },
    );
    expect(withoutLineEnd('a\r\n')).toBe('a');
    expect(withoutLineEnd('a\n\r')).toBe('a\n');
    expect(withoutLineEnd('a\n\n')).toBe('a\n');
  });

  it('a plain line is no binary junk and has no line break; a line that is not plain is told apart', () => {
    fc.assert(
      fc.property(fc.oneof(awkward, fc.string()), (s) => {
        if (isPlainLine(s)) {
          expect(binaryJunk(s)).toBeUndefined();
          expect(s).not.toMatch(/[\r\n]/);
        }
      }),
      { numRuns: 5000 },
    );
    expect(
      isPlainLine('Nov 26 08:10:47 web01 sshd[1]: Failed password for root from 10.0.0.1\tport 22'),
    ).toBe(true);
    for (const odd of ['\u0000', '\u001b[31m', '\r', '\n', '\u007f', '\uFFFD']) {
      expect(isPlainLine(`user${odd}name`)).toBe(false);
    }
  });
});
