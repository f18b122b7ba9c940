import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../../src/domain/raw-record';
import { joinContinuationBatches, joinContinuations } from '../../../src/ingest/files/continued-records';
import type { ObservedRecord } from '../../../src/ingest/files/file-records';
import { continuesRecord } from '../../../src/parse/registry';
import { fixtureLines } from '../parse/auth/auth-lines';

const observedAt = new Date('2026-11-27T18:00:00Z');
const PATH = join('test/fixtures/auth/lab-sudo.log');

/** lab-sudo.log's lines as the file reader yields them (blank lines are never records). */
function lines(patch: (r: RawRecord, i: number) => RawRecord = (r) => r): ObservedRecord[] {
  return fixtureLines('lab-sudo.log').map((text, i) => ({
    record: patch(
      { text, origin: { type: 'file', path: PATH, line: i + 1 }, bytes: Buffer.byteLength(text) },
      i,
    ),
    observedAt,
  }));
}

async function joined(records: ObservedRecord[], max = 1 << 20): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  async function* source() {
    yield* records;
  }
  for await (const r of joinContinuations(source(), continuesRecord, max)) out.push(r.record);
  return out;
}

describe('wrapped entries are joined into one record as they are read', () => {
  it("sudo's 23 lines are its 5 entries, each at its first line, with every byte counted", async () => {
    const records = await joined(lines());
    expect(records.map((r) => r.origin)).toEqual(
      [1, 2, 4, 6, 22].map((line) => ({ type: 'file', path: PATH, line })),
    );
    expect(records.map((r) => r.text).join('\n')).toBe(fixtureLines('lab-sudo.log').join('\n'));
    for (const r of records) expect(r.bytes).toBe(Buffer.byteLength(r.text));
  });

  it('an entry stops growing at the record limit; the rest go on as lines of their own', async () => {
    const records = await joined(lines(), 400);
    expect(records.every((r) => r.bytes! <= 400)).toBe(true);
    expect(records.map((r) => r.text).join('\n')).toBe(fixtureLines('lab-sudo.log').join('\n'));
    expect(records.length).toBeGreaterThan(5);
  });

  it('a line that was cut, or is not valid UTF-8, is never joined', async () => {
    const cut = await joined(lines((r, i) => (i === 2 ? { ...r, truncated: true } : r)));
    expect(cut.map((r) => r.origin).filter((o) => o.type === 'file' && o.line === 3)).toHaveLength(1);
    const latin1 = await joined(lines((r, i) => (i === 1 ? { ...r, base64: 'AA==' } : r)));
    expect(latin1.find((r) => r.base64 !== undefined)!.text).not.toContain('\n');
  });
});

describe('batches as the scan reads them', () => {
  it('joins an entry wrapped across two batches, whatever the batch size, as one record does', async () => {
    const all = lines();
    const expected = await joined(all);
    for (const size of [1, 2, 3, 5, 7, 100]) {
      async function* chunks() {
        for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
      }
      const out: RawRecord[] = [];
      for await (const batch of joinContinuationBatches(chunks(), continuesRecord, 1 << 20)) {
        expect(batch.length).toBeGreaterThan(0);
        out.push(...batch.map((r) => r.record));
      }
      expect(out).toEqual(expected);
    }
  });
});
