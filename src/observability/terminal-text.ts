/**
 * Characters a terminal acts on or a reader cannot see:
 * - C0 and C1 controls (`\p{Cc}`): ESC starts CSI/OSC sequences that clear the screen, retitle the window,
 *   hide or rewrite a row; CR and LF forge rows; U+009B is CSI on its own on terminals that honour C1;
 * - format characters (`\p{Cf}`): bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) that show
 *   `web01\u202Egnp.exe` as `web01exe.png`, zero-width spaces and joiners, the BOM, tag characters;
 * - line and paragraph separators (U+2028, U+2029), lone surrogates, and every other default-ignorable code
 *   point (Hangul fillers, variation selectors): a name that renders as nothing, or as another name.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text safe to write to a terminal, and still readable: every character a terminal would act on or a
 * reader could not see is replaced by a visible escape (`\n`, `\r`, `\t`, `\x1b`, `\x9b`, `\u{202e}`).
 * Evidence, evidence file names and rule file names are attacker-chosen on a compromised host, so every
 * human-readable output (the alert table, `rules validate`/`rules test`, scan's messages) passes through
 * here. A backslash is left as it is: a literal `\x1b` in a log is harmless text, and doubling every
 * backslash would make paths and regular expressions in messages harder to read.
 */
export function terminalText(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, escapeOne);
}

function escapeOne(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
