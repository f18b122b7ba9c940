/**
 * Why a text record is binary junk rather than a log record, or undefined when it is text. NUL bytes and
 * U+FFFD (what invalid UTF-8 decodes to) never occur in the logs we read; other control characters other
 * than tab are escaped by rsyslog (`#011`), so a raw one means the record is not what it claims.
 */
export function binaryJunk(text: string): string | undefined {
  if (text.includes('\u0000')) return 'record contains NUL bytes (binary data)';
  if (text.includes('\uFFFD')) return 'record is not valid UTF-8';
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text))
    return 'record contains control characters';
  return undefined;
}
