import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedLines, EndlessLineError, type BoundedLine } from '../../../src/ingest/files/line-reader';

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
const shown = (ls: BoundedLine[]) => ls.map((l) => [l.line, l.bytes.toString('utf8'), l.size, l.truncated]);

describe('boundedLines: lines from bytes, never more than the limit held', () => {
  it('splits on LF, drops the CR of CRLF, skips empty lines but counts them', async () => {
    expect(shown(await lines(['one\r\ntwo\n\n\r\nthree']))).toEqual([
      [1, 'one', 3, false],
      [2, 'two', 3, false],
      [5, 'three', 5, false],
    ]);
  });

  it('a lone CR is data inside the record, not a line break', async () => {
    expect(shown(await lines(['we\rb01 x\n']))).toEqual([[1, 'we\rb01 x', 8, false]]);
  });

  it('a line over the limit comes out cut to the prefix, with its true size, and the next line is read', async () => {
    const long = 'A'.repeat(40);
    expect(shown(await lines([long.slice(0, 7), long.slice(7) + '\nafter\n']))).toEqual([
      [1, 'AAAAAAAA', 40, true],
      [2, 'after', 5, false],
    ]);
  });

  it('a line of exactly the limit is whole; one byte more is cut', async () => {
    const at = 'B'.repeat(16);
    expect(shown(await lines([`${at}\n${at}C\n`]))).toEqual([
      [1, at, 16, false],
      [2, 'BBBBBBBB', 17, true],
    ]);
  });

  it('the prefix of a cut line never ends inside a UTF-8 character', async () => {
    const [l] = await lines(['1234567€' + 'x'.repeat(20) + '\n']);
    expect(l!.truncated).toBe(true);
    expect(l!.bytes.toString('utf8')).toBe('1234567');
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
    expect(got[0]!.bytes.length).toBe(8);
  });
});
