import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../../src/observability/terminal-text';

/** What a terminal acts on or a reader cannot see; none of it may survive terminalText. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;

describe('terminalText: what reaches a terminal is shown, never obeyed', () => {
  it.each([
    ['CSI clear screen and colour', '\u001b[2J\u001b[31mred', '\\x1b[2J\\x1b[31mred'],
    [
      'OSC window title ended by BEL and by ST',
      '\u001b]0;pwned\u0007\u001b]0;x\u001b\\',
      '\\x1b]0;pwned\\x07\\x1b]0;x\\x1b\\',
    ],
    ['erase line then cursor home', 'toor\u001b[1K\u001b[Gfake', 'toor\\x1b[1K\\x1b[Gfake'],
    ['CR overwriting the row', 'innocent\rROOTKIT', 'innocent\\rROOTKIT'],
    [
      'LF forging a row',
      'line1\n2026-11-26T09:11:17.000Z informational fake-row',
      'line1\\n2026-11-26T09:11:17.000Z informational fake-row',
    ],
    ['tab, DEL, NUL', 'a\tb\u007fc\u0000', 'a\\tb\\x7fc\\x00'],
    ['C1 NEL and single-byte CSI', 't\u0085o\u009b2Jor', 't\\x85o\\x9b2Jor'],
    ['right-to-left override', 'web01\u202egnp.exe', 'web01\\u{202e}gnp.exe'],
    ['bidi isolates', '\u2066a\u2067b\u2068c\u2069', '\\u{2066}a\\u{2067}b\\u{2068}c\\u{2069}'],
    ['zero-width space, joiner, BOM', 'to\u200bo\u200dr\ufeff', 'to\\u{200b}o\\u{200d}r\\u{feff}'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u{2028}b\\u{2029}c'],
    ['Hangul filler (renders as nothing)', 'adm\u3164in', 'adm\\u{3164}in'],
    ['lone surrogate', 'x\ud800y', 'x\\u{d800}y'],
    ['tag characters', 'a\u{e0041}', 'a\\u{e0041}'],
  ])('%s', (_name, input, shown) => {
    expect(terminalText(input)).toBe(shown);
  });

  it('leaves ordinary text alone, accents, scripts and emoji included', () => {
    for (const text of [
      'web01 useradd[207]: new user: name=toor',
      'José Ñandú',
      'аdmin',
      'ユーザー',
      '/var/log/auth.log.1',
      'a\\x1b literal',
    ]) {
      expect(terminalText(text)).toBe(text);
    }
  });

  it('no unsafe character survives, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(UNSAFE.test(terminalText(s))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('text without unsafe characters comes back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!UNSAFE.test(s));
        expect(terminalText(s)).toBe(s);
      }),
    );
  });
});
