import { describe, expect, it } from 'vitest';
import { reasonKind, ScanCounter } from '../../../src/scan/scan-summary';

describe('the summary counts dead letters by the kind of their reason', () => {
  it('takes out sizes, line numbers, quoted values and details, keeping what names the kind', () => {
    // reasons as parse-record.ts, the header and the JSON record readers word them
    expect(reasonKind('record of 1100031 bytes exceeds the limit of 1048576')).toBe(
      'record over the limit of 1048576 bytes',
    );
    expect(reasonKind('timezone header "Mars/Olympus_Mons" is not an IANA zone')).toBe(
      'timezone header "…" is not an IANA zone',
    );
    // a quoted value may hold ': ' itself: it is gone before the detail is cut
    expect(reasonKind('source header "a: b" is not an input kind')).toBe(
      'source header "…" is not an input kind',
    );
    expect(reasonKind('line 3: malformed JSON: Unexpected token } in JSON at position 12')).toBe(
      'malformed JSON',
    );
    expect(reasonKind('line 12 is longer than 4096 characters')).toBe(
      'a line is longer than 4096 characters',
    );
    expect(reasonKind('no parser recognises this record')).toBe('no parser recognises this record');
    expect(reasonKind('x'.repeat(500))).toHaveLength(121);
  });

  it('20 records over the limit, each of its own size, are one entry', () => {
    const counter = new ScanCounter();
    for (let i = 0; i < 20; i++)
      counter.deadLetter(`record of ${1_100_000 + i} bytes exceeds the limit of 1048576`);
    counter.deadLetter('no parser recognises this record');
    expect([...counter.summary([], 0).deadLetterReasons]).toEqual([
      ['record over the limit of 1048576 bytes', 20],
      ['no parser recognises this record', 1],
    ]);
  });
});
