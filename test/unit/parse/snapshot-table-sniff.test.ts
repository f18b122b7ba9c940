import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotTableParser } from '../../../src/parse/parsers/snapshot-table';
import { corpusLines } from '../../support/corpus';

/** ps's, ss's and lsof's header and row shapes, and a header with a quantified letter and an alternation */
const tables: { header: RegExp; row: RegExp; rowHolds?: string }[] = [
  { header: /^USER\s+PID/, row: /^(\S+)\s+(\d+)\s+(IPv4|IPv6)\s/, rowHolds: 'IPv' },
  { header: /^USER*\s+PID|^Netid/, row: /^x/, rowHolds: 'x' },
  { header: /^USER*\s+PID/, row: /^x/, rowHolds: 'x' },
  {
    header: /^USER\s+PID\s+%CPU/,
    row: /^(\S+)\s+(\d+)\s+(\d+(?:\.\d+)?)\s+(\d+:\d{2}|\d+-\d{2}:\d{2}:\d{2})\s(.*)$/,
  },
  {
    header: /^(?:Netid\s+)?State\s+Recv-Q/,
    row: /^(?:(?:tcp|udp)\s+)?(?:ESTAB|LISTEN|UNCONN)\s+\d+\s+\d+\s+[^\s:]*:\S*/,
  },
];

describe('a snapshot table sniffs with its header and row joined, or with its header literal start first', () => {
  it('and claims exactly the lines that match the header or the row', () => {
    const word = fc.constantFrom(
      'USER',
      'USE',
      'USERR',
      'IPv4',
      'PID',
      '%CPU',
      'root',
      '12',
      '0.5',
      '1:02',
      '3-04:05:06',
      'State',
    );
    const more = fc.constantFrom('Netid', 'Recv-Q', 'tcp', 'ESTAB', 'LISTEN', '0', '*:22', '10.0.0.1:5', 'x');
    const line = fc
      .array(
        fc.tuple(fc.oneof(word, more, fc.string({ maxLength: 3 })), fc.constantFrom(' ', '  ', '\t', '')),
      )
      .map((parts) => parts.map(([w, s]) => w + s).join(''));
    for (const { header, row, rowHolds } of tables) {
      const parser = snapshotTableParser({
        kind: 'ps',
        fields: [],
        dataset: 'process',
        header,
        row,
        rowHolds,
        toEvent: () => 'unused',
      });
      fc.assert(
        fc.property(fc.oneof(line, fc.constantFrom(...corpusLines('web01', 'ps-auxww.txt'))), (l) => {
          const first = l.trimStart();
          const claimed =
            header.test(first) || ((rowHolds === undefined || first.includes(rowHolds)) && row.test(first));
          expect(parser.sniff(l), JSON.stringify(l)).toBe(claimed);
        }),
        { numRuns: 5_000 },
      );
    }
  });
});
