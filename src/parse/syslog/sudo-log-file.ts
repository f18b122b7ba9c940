/**
 * sudo's own log file (`Defaults logfile=…`) wraps long entries. eventlog_writeln() (lib/eventlog/logwrap.c;
 * writeln_wrap() in plugins/sudoers/logwrap.c before 1.9) breaks an entry longer than `loglinelen` (80 by
 * default) at the last space before the limit (or the first after it, for a longer word), drops the spaces at
 * the break, and starts every further line with EVENTLOG_INDENT, four spaces. So a continuation line is four
 * spaces and then never a space, and joining the lines with one space gives the entry back as sudo composed it
 * (its fields are separated by single spaces; sudo's regress test lib/eventlog/regress/logwrap shows the cuts).
 * An entry starts with the time (`%h %e %T`, `log_year` adds ` %Y`) and ` : `.
 */
const ENTRY_HEAD = /^[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?: \d{4})? : /;
const CONTINUATION = /^ {4}[^ ]/;
const BREAK = /\n {4}(?=[^ ])/g;

/** Why a continuation line read on its own is dead-lettered: what it is, and how to avoid it. */
export const LONE_CONTINUATION_REASON =
  'continuation line of a wrapped sudo log-file entry (four-space indent, no timestamp) with no entry before it to join; sudo wraps its log file at loglinelen (Defaults loglinelen=0 turns wrapping off), or ship the file with continuation lines joined to their entry';

export function isSudoContinuationLine(line: string): boolean {
  // the first character settles nearly every line without a regex call: syslog parses every line this way
  return line.charCodeAt(0) === SPACE && CONTINUATION.test(line);
}

const SPACE = 0x20;

/** Whether `line` carries on the (possibly already joined) sudo log-file entry `entry`. */
export function continuesSudoLogEntry(entry: string, line: string): boolean {
  return isSudoContinuationLine(line) && ENTRY_HEAD.test(entry);
}

/** Whether a record of several lines is one wrapped sudo log-file entry: its head, then continuation lines. */
export function isWrappedSudoLogEntry(text: string): boolean {
  if (!ENTRY_HEAD.test(text)) return false;
  const lines = text.split('\n');
  return lines.length > 1 && lines.slice(1).every(isSudoContinuationLine);
}

/** The entry as sudo composed it: each line break and its indent back to the one space it replaced. */
export function unwrapSudoLogEntry(text: string): string {
  return text.includes('\n') ? text.replace(BREAK, ' ') : text;
}
