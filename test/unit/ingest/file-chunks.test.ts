import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../../src/domain/raw-record';
import { joinContinuationBatches } from '../../../src/ingest/files/continued-records';
import {
  chunkRecords,
  readInputPieces,
  type ChunkSizes,
  type InputPiece,
} from '../../../src/ingest/files/file-chunks';
import { readRecordBatches } from '../../../src/ingest/files/file-records';
import { InputReport } from '../../../src/ingest/files/input-walk';
import { continuesRecord } from '../../../src/parse/registry';
import { fixtureLines } from '../parse/auth/auth-lines';

const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = { kind: undefined, host: 'h1', maxRecordBytes: 4096, continues: continuesRecord };

/** The records of a file as the line-by-line reader gives them, wrapped entries joined. */
async function lineByLine(path: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const batches = readRecordBatches(path, OPTIONS);
  for await (const batch of joinContinuationBatches(batches, continuesRecord, OPTIONS.maxRecordBytes))
    out.push(...batch.map((r) => r.record));
  return out;
}

/** The same file's records through chunks, each split as a parse thread splits it. */
async function chunked(
  path: string,
  sizes: ChunkSizes,
): Promise<{ records: RawRecord[]; pieces: InputPiece[] }> {
  const records: RawRecord[] = [];
  const pieces: InputPiece[] = [];
  for await (const piece of readInputPieces(path, { ...OPTIONS, report: new InputReport() }, sizes)) {
    pieces.push(piece);
    if (piece.chunk) records.push(...chunkRecords(piece.chunk, OPTIONS));
    else records.push(...piece.records.map((r) => r.record));
  }
  return { records, pieces };
}

// real lines: sudo's own log file (entries wrapped over indented lines) and sshd's auth.log
const SUDO = fixtureLines('lab-sudo.log');
const AUTH = fixtureLines('lab-auth.log').slice(0, 40);
/** what a file may also hold between them: blank lines, CRs, bytes that are not UTF-8, a long line */
const ODD: readonly Buffer[] = [
  Buffer.from(''),
  Buffer.from('   '),
  Buffer.from('\r'),
  Buffer.from('\u00a0'),
  Buffer.from('\tx'),
  Buffer.from([0x4e, 0x6f, 0x76, 0x20, 0xff, 0xfe, 0x20, 0x78]),
  Buffer.from('x'.repeat(4500)),
  Buffer.from('    indented but no entry before it'),
];

const line = fc.oneof(
  fc.constantFrom(...SUDO).map((l) => Buffer.from(l)),
  fc.constantFrom(...AUTH).map((l) => Buffer.from(l)),
  fc.constantFrom(...ODD),
);

describe('a plain file read in chunks of its lines', () => {
  it('gives exactly the records the line-by-line reader gives: lines, sizes, cuts, joins, bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 0, maxLength: 60 }),
        fc.boolean(),
        fc.integer({ min: 8, max: 2048 }),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 16, max: 4096 }),
        async (lines, trailingLf, chunkBytes, firstChunkBytes, maxCarryBytes) => {
          const path = join(dir, 'prop.log');
          const bytes = Buffer.concat(
            lines.flatMap((l, i) => (i < lines.length - 1 || trailingLf ? [l, Buffer.from('\n')] : [l])),
          );
          writeFileSync(path, bytes);
          const { records } = await chunked(path, { chunkBytes, firstChunkBytes, maxCarryBytes });
          expect(records).toEqual(await lineByLine(path));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never cuts inside sudo's wrapped entries: each is one record at its first line", async () => {
    const path = join(dir, 'sudo.log');
    writeFileSync(path, SUDO.join('\n') + '\n');
    const { records, pieces } = await chunked(path, {
      chunkBytes: 64,
      firstChunkBytes: 64,
      maxCarryBytes: 1 << 20,
    });
    // every line is longer than a read: each chunk ends at the first place it may, an entry's end
    expect(pieces).toHaveLength(5);
    expect(pieces.every((p) => p.chunk !== undefined)).toBe(true);
    expect(records.map((r) => (r.origin.type === 'file' ? r.origin.line : 0))).toEqual([1, 2, 4, 6, 22]);
  });

  it('a line longer than the carry limit sends the rest of the file line by line, numbered on', async () => {
    const path = join(dir, 'long.log');
    writeFileSync(path, [AUTH[0], AUTH[1], 'y'.repeat(5000), AUTH[2]].join('\n') + '\n');
    const { records, pieces } = await chunked(path, {
      chunkBytes: 256,
      firstChunkBytes: 256,
      maxCarryBytes: 1024,
    });
    expect(pieces.some((p) => p.chunk) && pieces.some((p) => p.records)).toBe(true);
    expect(
      records.map((r) => [r.origin.type === 'file' && r.origin.line, r.truncated ?? false, r.bytes]),
    ).toEqual([
      [1, false, Buffer.byteLength(AUTH[0]!)],
      [2, false, Buffer.byteLength(AUTH[1]!)],
      [3, true, 5000],
      [4, false, Buffer.byteLength(AUTH[2]!)],
    ]);
  });

  it('a compressed file or stdin is read line by line', async () => {
    const path = join(dir, 'x.gz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
    const report = new InputReport();
    const pieces: InputPiece[] = [];
    for await (const p of readInputPieces(path, { ...OPTIONS, report })) pieces.push(p);
    expect(pieces.every((p) => p.chunk === undefined)).toBe(true);
    // the truncated gzip is reported by the line-by-line reader, as before
    expect(report.lines().join('\n')).toContain(path);
  });
});
