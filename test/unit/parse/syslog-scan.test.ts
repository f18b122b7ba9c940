import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePriority } from '../../../src/parse/syslog/priority';
import { splitSyslogLine, type SyslogLine } from '../../../src/parse/syslog/syslog-line';
import { isSpace, isWordChar } from '../../../src/parse/text-checks';
import { corpusLines, corpusPath } from '../../support/corpus';

/**
 * The regexes bsd-header.ts replaced, and what splitSyslogLine built from their matches: the reference the
 * hand-written scanners must agree with on every line, well-formed or not.
 */
const RFC3164 =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: (\d{4}))? +(.*)$/s;
const TAG = /^([^\s[\]():]{1,64})(?:\(([^)\s]{1,64})\))?(?:\[(\d{1,10})\])?: ?(.*)$/s;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function reference(line: string): Partial<SyslogLine> | undefined {
  const m = RFC3164.exec(line);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!) + 1;
  if (month === 0) return undefined;
  const [, pri, , day, hour, minute, second, frac, year, body] = m;
  const wallClock = {
    year: year === undefined ? undefined : Number(year),
    month,
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    millisecond: frac === undefined ? undefined : Math.floor(Number(`0.${frac}`) * 1000),
  };
  const head = { format: 'rfc3164' as const, pri: pri === undefined ? undefined : Number(pri), wallClock };
  if (body!.startsWith(': ')) return undefined; // sudo's log file: not the scanners' part
  const space = body!.indexOf(' ');
  const first = space < 0 ? body! : body!.slice(0, space);
  if (first.endsWith(':') && TAG.test(first)) return { ...head, ...tagged(body!, head.pri) };
  if (space < 0) return { ...head, hostname: body, message: '' };
  return { ...head, hostname: first, ...tagged(body!.slice(space + 1), head.pri) };
}

const SOLARIS_ID = /^\[ID (\d+) ([a-z0-9]+)\.([a-z]+)\] ?/;

function tagged(rest: string, pri: number | undefined): Partial<SyslogLine> {
  const t = TAG.exec(rest);
  if (!t) return { message: rest };
  const message = t[4]!.trimStart();
  const head = { program: t[1], subsystem: t[2], pid: t[3] === undefined ? undefined : Number(t[3]) };
  const solaris = message.startsWith('[ID ') ? SOLARIS_ID.exec(message) : null;
  if (!solaris) return { ...head, message };
  return {
    ...head,
    message: message.slice(solaris[0].length),
    msgid: `ID ${solaris[1]!}`,
    pri: pri ?? encodePriority(solaris[2]!, solaris[3]!),
  };
}

/** The fields the reference covers, undefined ones left out (a missing and an undefined field read alike). */
function fieldsOf(line: Partial<SyslogLine> | undefined): Record<string, unknown> | undefined {
  if (line === undefined) return undefined;
  const { format, pri, wallClock, hostname, program, subsystem, pid, msgid, message } = line;
  const out: Record<string, unknown> = {
    format,
    pri,
    wallClock,
    hostname,
    program,
    subsystem,
    pid,
    msgid,
    message,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  if (wallClock) out.wallClock = JSON.parse(JSON.stringify(wallClock)) as unknown;
  return out;
}

function agrees(line: string): void {
  const expected = reference(line);
  if (expected === undefined && line.includes(': ') && RFC3164.test(line)) return; // sudo log file, elsewhere
  const actual = splitSyslogLine(line);
  if (expected === undefined && actual?.format !== 'rfc3164') return; // another format, or none
  expect(fieldsOf(actual), JSON.stringify(line)).toEqual(fieldsOf(expected));
}

/**
 * Pieces of RFC 3164 lines: mostly right, each now and then nearly right — the places where a scanner could
 * read differently — so that a line is often wrong in one place only.
 */
const piece = (...options: string[]) => fc.constantFrom(...options);
const digits = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.stringMatching(new RegExp(`^\\d{${n}}$`)));
const part = (right: fc.Arbitrary<string>, wrong: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 5, arbitrary: right }, { weight: 1, arbitrary: wrong });
const bsdLine = fc
  .tuple(
    part(
      fc.oneof(
        piece('', '<13>', '<191>'),
        digits(1, 3).map((d) => `<${d}>`),
      ),
      fc.oneof(
        piece('<', '<>', '<x>'),
        digits(4, 5).map((d) => `<${d}>`),
      ),
    ),
    part(piece(...MONTHS), piece('Foo', 'dec', 'DEC', 'De', 'Sept', '')),
    part(piece(' ', '  '), piece('   ', '', '\t')),
    part(digits(1, 2), piece('', '123', 'x')),
    part(piece(' '), piece('  ', '', '\t')),
    part(
      fc.tuple(digits(2, 2), digits(2, 2), digits(2, 2)).map(([h, m, s]) => `${h}:${m}:${s}`),
      fc.tuple(digits(1, 3), digits(1, 3), digits(1, 3)).map(([h, m, s]) => `${h}:${m}:${s}`),
    ),
    part(
      fc.oneof(
        piece('', '', ''),
        digits(1, 6).map((d) => `.${d}`),
      ),
      fc.oneof(
        piece('.', '.x'),
        digits(7, 9).map((d) => `.${d}`),
      ),
    ),
    part(
      fc.oneof(
        piece('', '', ''),
        digits(4, 4).map((d) => ` ${d}`),
      ),
      fc.oneof(
        piece('  2017', ' 2017:'),
        digits(0, 6).map((d) => ` ${d}`),
      ),
    ),
    part(piece(' ', '  '), piece('', '\t', ' \u00a0')),
    part(piece('', 'web01 ', 'LabSZ  '), piece('web01', 'host:', '-', '\u3000 ')),
    part(
      piece(
        'sshd[24200]:',
        'sshd:',
        'sshd(pam_unix)[19939]:',
        'kernel:',
        'su(pam_unix)[1]:',
        'pkexec[4711]: ',
      ),
      fc.oneof(
        piece(
          'a[]:',
          'a()[1]:',
          'p[12345678901]:',
          'p[1234567890]:',
          'x(a b)[1]:',
          'x(a(b)[1]:',
          'cups[1] :',
        ),
        fc
          .tuple(fc.string({ maxLength: 70 }), piece('', ':', '[1]:', '(s):', '(s)[2]:'))
          .map(([a, b]) => a + b),
        fc.stringMatching(/^[a-z]{62,67}(?:\[\d\])?:$/),
        fc.stringMatching(/^[a-z]{1,3}\([^)\s]{62,67}\)(?:\[\d\])?:$/),
      ),
    ),
    part(piece(' ', ''), piece('  ', ' \t', ' \u2028')),
    fc.oneof(fc.string(), piece('Failed password for root', '[ID 800047 auth.notice] hi', ' x ')),
  )
  .map((parts) => parts.join(''));

describe('the RFC 3164 scanners read what the regexes they replaced read', () => {
  it('on generated lines, right and nearly right', () => {
    fc.assert(fc.property(bsdLine, agrees), { numRuns: 12_000 });
  });

  it('on arbitrary strings, and on real lines cut and spliced', () => {
    const real = corpusLines('loghub', 'Linux_2k.log').slice(0, 200);
    fc.assert(fc.property(fc.string(), agrees), { numRuns: 20_000 });
    fc.assert(
      fc.property(fc.constantFrom(...real), fc.nat(120), fc.string({ maxLength: 4 }), (line, at, splice) =>
        agrees(line.slice(0, at) + splice + line.slice(at)),
      ),
      { numRuns: 20_000 },
    );
  });

  it('on every line of the corpus', () => {
    let read = 0;
    for (const dir of ['loghub', 'web01', 'web02'])
      for (const file of readdirSync(corpusPath(dir)).filter((f) => /\.log$|^syslog$/.test(f)))
        for (const line of corpusLines(dir, file)) {
          agrees(line);
          if (reference(line) !== undefined) read++;
        }
    expect(read).toBeGreaterThan(4_000);
  });

  it('take as white space exactly what \\s does', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++)
      if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c.toString(16));
    expect(differ).toEqual([]);
  });

  it('take as word characters exactly what \\w does', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++)
      if (isWordChar(c) !== /\w/.test(String.fromCharCode(c))) differ.push(c.toString(16));
    expect(differ).toEqual([]);
  });
});
