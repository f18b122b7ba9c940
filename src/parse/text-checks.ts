// eslint-disable-next-line no-control-regex
const ODD = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g;

/**
 * Why a text record is binary junk rather than a log record, or undefined when it is text. NUL bytes never
 * occur in the logs we read. A few control characters or undecodable bytes (U+FFFD) do not make a record
 * junk: rsyslog passes 8-bit bytes through, and an attacker who puts one ESC or one 0xFF byte in a
 * `useradd` home directory must not make its UID 0 alert disappear. They stay in the record (the terminal
 * output escapes them, the exact bytes are kept) unless they are so many that the record is not text.
 */
export function binaryJunk(text: string): string | undefined {
  if (text.includes('\u0000')) return 'record contains NUL bytes (binary data)';
  ODD.lastIndex = 0;
  if (!ODD.test(text)) return undefined;
  const odd = text.match(ODD)!.length;
  if (odd * 4 > text.length)
    return `record is binary data (${odd} of ${text.length} characters are control characters or not UTF-8)`;
  return undefined;
}

// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[\u0000-\u0008\u000A-\u001F\u007F\uFFFD]/;

/**
 * Whether a line is plain text: no control character but tab, no line break, no U+FFFD. Nearly every log line
 * is: one scan then stands for binaryJunk's two and a search for line breaks, and only the rest pay for those.
 */
export const isPlainLine = (text: string): boolean => !NOT_PLAIN.test(text);

/**
 * The text without one trailing line end (`\r\n`, `\n` or `\r`): what `replace(/\r?\n?$/, '')` does, without a
 * regex that tries every position of the line to find its end.
 */
export function withoutLineEnd(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === LF) end--;
  if (text.charCodeAt(end - 1) === CR) end--;
  return end === text.length ? text : text.slice(0, end);
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** A record's first line: `text.split('\n', 1)[0]` without building an array for every record sniffed. */
export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

/** What `\s` matches: ECMAScript's WhiteSpace and LineTerminator characters. */
export function isSpace(c: number): boolean {
  if (c < 0x80) return c === SPACE || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** What `\w` matches (without the u flag): `[A-Za-z0-9_]`. */
export const isWordChar = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
