/**
 * Cyrillic and Greek letters drawn like Latin ones: `sеl` with a Cyrillic `е` is not the `sel` it shows, and
 * a field `іmage` with a Cyrillic `і` never exists. UTS #39's confusables, reduced to the letters of these
 * two scripts that pass for ASCII in a terminal font.
 */
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ь: 'b',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  Ү: 'Y',
  // Greek
  ο: 'o',
  α: 'a',
  ν: 'v',
  ρ: 'p',
  ι: 'i',
  κ: 'k',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};

const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
/** Fullwidth ASCII (`ａnd`): NFKC folds it to ASCII. */
const FULLWIDTH = /^[\uFF01-\uFF5E]$/u;

const describe = (ch: string): string => {
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (INVISIBLE.test(ch)) return `${code}, an invisible character`;
  if (FULLWIDTH.test(ch)) return `${code}, a fullwidth "${ch.normalize('NFKC')}"`;
  return `${code}, a ${/\p{Script=Greek}/u.test(ch) ? 'Greek' : 'Cyrillic'} letter drawn like "${LOOKALIKES[ch]}"`;
};

/**
 * For a word that shows as ASCII but is not (look-alike letters, fullwidth forms, invisible characters), what
 * it really holds and what it passes for; undefined for any other word (plain ASCII, or real text in another
 * script: a word with a letter that passes for no Latin one is left alone).
 */
export function confusable(word: string): string | undefined {
  const odd: string[] = [];
  let skeleton = '';
  for (const ch of word) {
    if (ch.charCodeAt(0) < 0x80) skeleton += ch;
    else if (LOOKALIKES[ch] !== undefined) {
      skeleton += LOOKALIKES[ch];
      odd.push(ch);
    } else if (FULLWIDTH.test(ch)) {
      skeleton += ch.normalize('NFKC');
      odd.push(ch);
    } else if (INVISIBLE.test(ch)) odd.push(ch);
    else return undefined;
  }
  if (odd.length === 0) return undefined;
  const what = [...new Set(odd)].map(describe).join('; ');
  return `"${word}" is not "${skeleton}": it holds ${what}`;
}

/** The hint to add to a problem message that names such a word, or '' (the first such word only). */
export function confusableHint(message: string): string {
  for (const word of message.match(/[^\s"'`,:;()[\]{}=|]+/gu) ?? []) {
    const hint = confusable(word);
    if (hint !== undefined) return ` (${hint})`;
  }
  return '';
}
