import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundedLines,
  decodeLine,
  EndlessLineError,
  type BoundedLine,
} from '../../../src/ingest/files/line-reader';
import { utf8Prefix as utf8PrefixOf } from '../../../src/ingest/record-bytes';

const BOUNDS = { maxRecordBytes: 16, prefixBytes: 8 };

async function lines(chunks: (string | Buffer)[], bounds = BOUNDS): Promise<BoundedLine[]> {
  const out: BoundedLine[] = [];
  for await (const l of boundedLines(
    (async function* () {
      yield* chunks;
    })(),
    bounds,
  ))
    out.push(l);
  return out;
}
const shown = (ls: BoundedLine[]) =>
  ls.map((l) => [l.line, decodeLine(l).text, decodeLine(l).base64, l.size, l.truncated]);

describe('boundedLines: lines from bytes, never more than the limit held', () => {
  it('splits on LF, drops the CR of CRLF, skips empty lines but counts them', async () => {
    expect(shown(await lines(['one\r\ntwo\n\n\r\nthree']))).toEqual([
      [1, 'one', undefined, 3, false],
      [2, 'two', undefined, 3, false],
      [5, 'three', undefined, 5, false],
    ]);
  });

  it('a lone CR is data inside the record, not a line break', async () => {
    expect(shown(await lines(['we\rb01 x\n']))).toEqual([[1, 'we\rb01 x', undefined, 8, false]]);
  });

  it('a line over the limit comes out cut to the prefix, with its true size, and the next line is read', async () => {
    const long = 'A'.repeat(40);
    expect(shown(await lines([long.slice(0, 7), long.slice(7) + '\nafter\n']))).toEqual([
      [1, 'AAAAAAAA', undefined, 40, true],
      [2, 'after', undefined, 5, false],
    ]);
  });

  it('a line of exactly the limit is whole; one byte more is cut', async () => {
    const at = 'B'.repeat(16);
    expect(shown(await lines([`${at}\n${at}C\n`]))).toEqual([
      [1, at, undefined, 16, false],
      [2, 'BBBBBBBB', undefined, 17, true],
    ]);
  });

  it('the prefix of a cut line never ends inside a UTF-8 character', async () => {
    const [l] = await lines(['1234567€' + 'x'.repeat(20) + '\n']);
    expect(l!.truncated).toBe(true);
    expect(decodeLine(l!).text).toBe('1234567');
    expect(l!.size).toBe(30);
  });

  it('chunk boundaries anywhere (even inside CRLF or a character) give the same lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom('\n', '\r', '\r\n', '€', 'x', ' '), fc.string()), {
          maxLength: 60,
        }),
        fc.array(fc.nat(200), { maxLength: 8 }),
        async (pieces, cuts) => {
          const bytes = Buffer.from(pieces.join(''));
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
          expect(shown(await lines(chunks))).toEqual(shown(await lines([bytes])));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('any bytes, in any chunks, give the lines a plain split on LF gives (UTF-8 or not, CRLF or not)', async () => {
    const reference = (bytes: Buffer, max: number) => {
      const out: unknown[] = [];
      let from = 0;
      for (let n = 1; from <= bytes.length; n++) {
        const at = bytes.indexOf(0x0a, from);
        let line = bytes.subarray(from, at === -1 ? bytes.length : at);
        if (line.at(-1) === 0x0d) line = line.subarray(0, line.length - 1);
        if (line.length > 0) {
          const cut = line.length > max;
          const { text, base64 } = decodeLine({
            bytes: cut ? utf8PrefixOf(line, BOUNDS.prefixBytes) : line,
            size: line.length,
            truncated: cut,
            line: n,
          });
          out.push([n, text, base64, line.length, cut]);
        }
        if (at === -1) break;
        from = at + 1;
      }
      return out;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              Buffer.from('\n'),
              Buffer.from('\r\n'),
              Buffer.from('€'),
              Buffer.from([0xff]),
              Buffer.from([0xe2, 0x82]),
            ),
            fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
            fc.string({ maxLength: 20 }).map((t) => Buffer.from(t)),
          ),
          { maxLength: 40 },
        ),
        fc.array(fc.nat(400), { maxLength: 6 }),
        async (pieces, cuts) => {
          const bytes = Buffer.concat(pieces);
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
          expect(shown(await lines(chunks))).toEqual(reference(bytes, BOUNDS.maxRecordBytes));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a stream whose line never ends stops at maxLineBytes: the part read is yielded cut, then the error', async () => {
    async function* zeros() {
      for (;;) yield Buffer.alloc(1000);
    }
    const got: BoundedLine[] = [];
    await expect(async () => {
      for await (const l of boundedLines(zeros(), { ...BOUNDS, maxLineBytes: 10_000 })) got.push(l);
    }).rejects.toThrow(EndlessLineError);
    expect(got).toHaveLength(1);
    expect(got[0]!.truncated).toBe(true);
    expect(got[0]!.size).toBeGreaterThan(10_000);
    expect('bytes' in got[0]! && got[0].bytes.length).toBe(8);
  });
});
