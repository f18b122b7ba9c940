import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parser } from '../../../src/domain/parser';
import { filebeatParser } from '../../../src/parse/parsers/filebeat';
import { rsyslogJsonParser } from '../../../src/parse/parsers/rsyslog-json';
import { syslogParser } from '../../../src/parse/parsers/syslog';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

const ctx = { timezone: 'Europe/Berlin', now: new Date('2026-11-26T09:00:00Z') };
const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function wellFormed(parser: Parser, text: string): void {
  const outcome = parser.parse(text, ctx);
  if (outcome.ok) {
    for (const e of outcome.events) {
      expect(e['@timestamp']).toMatch(UTC_ISO);
      expect(typeof e['event.original']).toBe('string');
    }
  } else {
    expect(outcome.reason.length).toBeGreaterThan(0);
  }
}

/** Real lines, cut and spliced at random: the inputs a broken forwarder really sends. */
const realLines = [
  ...corpusLines('web01', 'auth.log'),
  ...corpusLines('web01', 'auth-rfc5424.log'),
  ...corpusLines('web01', 'auth-iso8601.log'),
];
const mangled = fc
  .tuple(fc.constantFrom(...realLines), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }))
  .map(
    ([line, a, b, junk]) => line.slice(0, a % (line.length + 1)) + junk + line.slice(b % (line.length + 1)),
  );

describe('syslog-family parsers never throw', () => {
  for (const parser of [syslogParser, rsyslogJsonParser, filebeatParser]) {
    it(`${parser.kind}: arbitrary strings`, () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 400 }), (s) => wellFormed(parser, s)),
        { numRuns: 2000 },
      );
    });
    it(`${parser.kind}: arbitrary JSON`, () => {
      fc.assert(
        fc.property(fc.json({ maxDepth: 3 }), (s) => wellFormed(parser, s)),
        { numRuns: 1000 },
      );
    });
    it(`${parser.kind}: real lines cut and spliced`, () => {
      fc.assert(
        fc.property(mangled, (s) => wellFormed(parser, s)),
        { numRuns: 2000 },
      );
    });
  }

  it('rsyslog JSON with syslog-shaped keys and random values', () => {
    const record = fc.record({
      msg: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      timereported: fc.oneof(fc.string(), fc.constant('2026-11-26T09:10:47.928590+01:00'), fc.integer()),
      hostname: fc.oneof(fc.string(), fc.constant('web01')),
      syslogtag: fc.oneof(fc.string(), fc.constant('sshd[54]:')),
      pri: fc.oneof(fc.string(), fc.integer({ min: -5, max: 300 })),
    });
    fc.assert(
      fc.property(record, (r) => wellFormed(rsyslogJsonParser, JSON.stringify(r))),
      { numRuns: 2000 },
    );
  });
});

describe('hostile records are rejected with a reason', () => {
  const defaults = { timezone: 'UTC', maxRecordBytes: 4096 };
  const reject = (text: string) => {
    const r = parseRecord({ text, origin: { type: 'file', path: 'x', line: 1 } }, defaults, new Date());
    expect(r.ok).toBe(false);
    return r.ok ? '' : r.reason;
  };
  it('oversize', () =>
    expect(reject('Nov 26 09:10:47 web01 sshd[1]: ' + 'A'.repeat(5000))).toMatch(/exceeds the limit/));
  it('__proto__ key', () =>
    expect(reject('{"msg":"x","timereported":"2026-11-26T09:10:47Z","__proto__":{"polluted":1}}')).toMatch(
      /forbidden key "__proto__"/,
    ));
  it('malformed JSON that looks like rsyslog', () =>
    expect(reject('{"msg": "x", "syslogtag": "sshd[1]:", ')).toMatch(/malformed JSON/));
  it('NUL bytes', () => expect(reject('Nov 26 09:10:47 web01 sshd[1]: a\u0000b')).toMatch(/NUL/));
  it('a truncated line', () => expect(reject('Nov 26 09:1')).toMatch(/no parser|not a syslog/));
  it('an empty record', () => expect(reject('')).toMatch(/empty/));
  it('unterminated RFC 5424 structured data', () =>
    expect(reject('<13>1 2026-11-26T09:10:47Z h a 1 - ' + '[x a="'.repeat(100))).toMatch(
      /not a syslog|no parser/,
    ));
});
