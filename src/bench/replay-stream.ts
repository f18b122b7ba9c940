import { readFileSync } from 'node:fs';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** where a replay starts (1 Dec); a replay longer than a year of evidence time wraps, as year-less syslog does */
const BASE = Date.UTC(2001, 11, 1);
/** the traditional syslog prefix `Mmm dd hh:mm:ss` */
const SYSLOG_TIME = /^([A-Z][a-z]{2}) ( ?\d{1,2}) (\d{2}):(\d{2}):(\d{2})/;

/**
 * Real log lines replayed as an endless stream whose time moves forward: every pass over the corpus is
 * shifted past the previous one, as a live stream would be. Replaying the same timestamps pass after pass
 * would pile each pass's failed logins into the same correlation windows — a load no live host produces.
 * `verbatim` replays the lines unchanged (the bench before the shift, for comparison).
 */
export class ReplayStream {
  private readonly lines: string[];
  /** each line's replay time (ms, from BASE), or undefined when it carries no syslog time */
  private readonly times: (number | undefined)[];
  private readonly spanMs: number;

  constructor(
    files: readonly string[],
    private readonly verbatim = false,
  ) {
    this.lines = [];
    this.times = [];
    let span = 0;
    // each file's times count from its own first line, so a pass lasts as long as the longest file
    for (const file of files) {
      const lines = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const times = lines.map(referenceTime);
      const known = times.filter((t): t is number => t !== undefined);
      const first = known.length ? Math.min(...known) : 0;
      if (known.length) span = Math.max(span, Math.max(...known) - first);
      this.lines.push(...lines);
      this.times.push(...times.map((t) => (t === undefined ? undefined : t - first + BASE)));
    }
    if (this.lines.length === 0) throw new Error('no evidence lines to replay');
    this.spanMs = span + 60_000;
  }

  get size(): number {
    return this.lines.length;
  }

  /** The i-th record of the stream. */
  line(i: number): string {
    const at = i % this.lines.length;
    const line = this.lines[at]!;
    const time = this.times[at];
    if (this.verbatim || time === undefined) return line;
    const shifted = new Date(time + Math.floor(i / this.lines.length) * this.spanMs);
    return syslogTime(shifted) + line.replace(SYSLOG_TIME, '');
  }
}

/** A line's syslog time read in a fixed reference year (2001, UTC): only differences between lines matter. */
function referenceTime(line: string): number | undefined {
  const m = SYSLOG_TIME.exec(line);
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) return undefined;
  return Date.UTC(2001, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** `Mmm dd hh:mm:ss` of a date's UTC fields, the day padded with a space as syslog does. */
export function syslogTime(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}
