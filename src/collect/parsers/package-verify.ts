/**
 * Output of `dpkg --verify` (dpkg src/main/verify.c: `"%.9s %c %s%s"`) and `rpm -Va` (rpm lib/verify.c:
 * `"%s  %c %s"`, `"missing   %c %s"`): nine result characters in rpm's order S M 5 D L U G T P — a letter
 * where that check failed, `.` passed, `?` could not be tested — or `missing`; an attribute (`c` config
 * file, `d` doc, `g` ghost, `l` license, `r` readme, `a` artifact, blank); the path; then possibly the
 * reason it could not be read (` (Permission denied)`) or rpm's file state (` (replaced)`). rpm's
 * `Unsatisfied dependencies for …` lines and their indented continuations are not file verdicts.
 */
export interface VerifyLine {
  readonly path: string;
  readonly conffile: boolean;
  readonly missing: boolean;
  /** checksum, size, mode, device, link, owner, group, mtime, capabilities */
  readonly failed: string[];
  readonly error?: string;
}

const CHECKS = ['size', 'mode', 'checksum', 'device', 'link', 'owner', 'group', 'mtime', 'capabilities'];
const LETTERS = 'SM5DLUGTP';
const LINE = /^(missing {2}|[.?SM5DLUGTP]{8,9}) {1,2}([cdglra ]) (\/.*)$/;
/** rpm's file states and strerror(3) messages, the only parenthesised suffixes either tool writes */
const SUFFIX = / \((replaced|not installed|net shared|wrong color|missing|[A-Z][a-z]+(?: [a-z]+)*)\)$/;

export function parseVerifyOutput(text: string): { lines: VerifyLine[]; problems: string[] } {
  const lines: VerifyLine[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('Unsatisfied dependencies') || /^\s/.test(l)) return;
    const m = LINE.exec(l);
    if (!m) {
      problems.push(`line ${i + 1}: not a verify result: ${l.slice(0, 120)}`);
      return;
    }
    const [, result, attr] = m as unknown as [string, string, string];
    let path = m[3]!;
    const suffix = SUFFIX.exec(path);
    if (suffix) path = path.slice(0, suffix.index);
    const missing = result.startsWith('missing');
    const failed = missing ? [] : [...result].flatMap((c, k) => (c === LETTERS[k] ? [CHECKS[k]!] : []));
    lines.push({ path, conffile: attr === 'c', missing, failed, ...(suffix && { error: suffix[1]! }) });
  });
  return { lines, problems };
}
