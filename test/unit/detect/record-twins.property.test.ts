import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CopyIndex, fingerprint } from '../../../src/detect/correlation/record-twins';

/**
 * The channels (encoding and file) the streams are read in: the first, and three about the 30th, where an
 * occurrence's channels stop fitting the bits of one number and become a list.
 */
const CHANNELS = [1, 29, 30, 31];

/**
 * Records (second, pid, message, repeats) written in 1 to 4 encodings, the encodings' streams interleaved
 * at random as files read one after another or side by side would give them: every occurrence counts once,
 * whatever the order, and however far apart a copy comes from its original.
 */
it('copies interleaved at random count once, repeats in one encoding each count', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          sec: fc.integer({ min: 0, max: 5 }),
          pid: fc.integer({ min: 1, max: 3 }),
          msg: fc.constantFrom('a', 'b', 'a '),
          times: fc.integer({ min: 1, max: 3 }),
        }),
        { minLength: 1, maxLength: 30 },
      ),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.nat(), { maxLength: 200 }),
      (records, encodings, picks) => {
        const index = new CopyIndex();
        const sorted = [...records].sort((a, b) => a.sec - b.sec);
        const streams = Array.from({ length: encodings }, (_, e) =>
          sorted.flatMap((r) => Array.from({ length: r.times }, () => ({ r, e }))),
        );
        let counted = 0;
        let p = 0;
        while (streams.some((s) => s.length > 0)) {
          const live = streams.filter((s) => s.length > 0);
          const { r, e } = live[(picks[p++] ?? 0) % live.length]!.shift()!;
          if (!index.isCopy({ hash: fingerprint(1_000 + r.sec, r.pid, r.msg, 'h'), channel: CHANNELS[e]! }))
            counted++;
        }
        // the occurrences of a record are its repeats in one encoding; identical records add theirs
        const occurrences = new Map<string, number>();
        for (const r of records)
          occurrences.set(
            `${r.sec}|${r.pid}|${r.msg}`,
            (occurrences.get(`${r.sec}|${r.pid}|${r.msg}`) ?? 0) + r.times,
          );
        expect(counted).toBe([...occurrences.values()].reduce((n, k) => n + k, 0));
      },
    ),
    { numRuns: 2000 },
  );
});
