import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parser } from '../../../src/domain/parser';
import { aideParser } from '../../../src/parse/parsers/aide';
import { auditbeatParser } from '../../../src/parse/parsers/auditbeat';
import { ecsParser } from '../../../src/parse/parsers/ecs';
import { lsofParser } from '../../../src/parse/parsers/lsof';
import { osqueryParser } from '../../../src/parse/parsers/osquery';
import { psParser } from '../../../src/parse/parsers/ps';
import { ssParser } from '../../../src/parse/parsers/ss';
import { wazuhParser } from '../../../src/parse/parsers/wazuh';
import { context, fixture, UTC_ISO, web01 } from './evidence-fixtures';

const PARSERS: readonly Parser[] = [
  aideParser,
  auditbeatParser,
  wazuhParser,
  osqueryParser,
  ecsParser,
  ssParser,
  lsofParser,
  psParser,
];

/** Either events that each carry a UTC @timestamp and an original, or a rejection with a reason. */
function wellFormed(parser: Parser, text: string): void {
  const outcome = parser.parse(text, context());
  if (outcome.ok) {
    for (const e of outcome.events) {
      expect(e['@timestamp']).toMatch(UTC_ISO);
      expect(e['event.original'].length).toBeGreaterThan(0);
    }
  } else {
    expect(outcome.reason.trim().length).toBeGreaterThan(0);
  }
}

/** A real document of the parser's kind with one top-level value replaced by arbitrary JSON. */
const JSON_SAMPLES: ReadonlyArray<readonly [Parser, string]> = [
  [aideParser, web01('aide-report.json')],
  [aideParser, fixture('aide', 'lab-changed-attributes.json')],
  [auditbeatParser, fixture('auditbeat', 'fim-sample-event-created.json')],
  [wazuhParser, fixture('wazuh', 'who-linux-2018-hosts-allow.json')],
  [wazuhParser, fixture('wazuh', 'indexer-hit-2025-hosts-allow-minus0500.json')],
  [osqueryParser, fixture('osquery', 'docs-batch.json')],
  [osqueryParser, fixture('osquery', 'panther-listening-ports-udp.json')],
  [ecsParser, fixture('ecs', 'integrations-system-auth-sample-event.json')],
];

const TEXT_SAMPLES: ReadonlyArray<readonly [Parser, string]> = [
  [aideParser, web01('aide-report.txt')],
  [ssParser, web01('ss-tunap.txt')],
  [ssParser, fixture('ss', 'ss-tunap-shared.txt')],
  [lsofParser, web01('lsof-i.txt')],
  [psParser, web01('ps-auxww.txt')],
];

describe('evidence parsers never throw', () => {
  for (const parser of PARSERS) {
    it(`${parser.kind}: arbitrary strings`, () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (s) => wellFormed(parser, s)),
        { numRuns: 500 },
      );
    });
    it(`${parser.kind}: arbitrary JSON and objects`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.json({ maxDepth: 4 }),
            fc.object().map((o) => JSON.stringify(o)),
          ),
          (s) => wellFormed(parser, s),
        ),
        { numRuns: 300 },
      );
    });
  }

  for (const [parser, sample] of JSON_SAMPLES) {
    const doc = JSON.parse(sample) as Record<string, unknown>;
    const keys = Object.keys(doc);
    it(`${parser.kind}: a real document with one value replaced`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), (key, value) =>
          wellFormed(parser, JSON.stringify({ ...doc, [key]: value })),
        ),
        { numRuns: 200 },
      );
    });
  }

  for (const [parser, sample] of TEXT_SAMPLES) {
    it(`${parser.kind}: real output cut and spliced`, () => {
      fc.assert(
        fc.property(fc.nat(), fc.nat(), fc.string({ maxLength: 30 }), (a, b, junk) => {
          const cut = sample.slice(0, a % (sample.length + 1)) + junk + sample.slice(b % (sample.length + 1));
          wellFormed(parser, cut);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('a clock that is not a date is a rejection, not a crash', () => {
    for (const parser of PARSERS) {
      const outcome = parser.parse(web01('ss-tlnp.txt'), context({ now: new Date(Number.NaN) }));
      expect(outcome.ok).toBe(false);
    }
  });
});
