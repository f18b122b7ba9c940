import { describe, expect, it } from 'vitest';
import type { InputKind } from '../../../src/domain/input-kind';
import { INPUT_KINDS } from '../../../src/domain/input-kind';
import type { Parser } from '../../../src/domain/parser';
import { aideParser } from '../../../src/parse/parsers/aide';
import { auditbeatParser } from '../../../src/parse/parsers/auditbeat';
import { ecsParser } from '../../../src/parse/parsers/ecs';
import { lsofParser } from '../../../src/parse/parsers/lsof';
import { osqueryParser } from '../../../src/parse/parsers/osquery';
import { psParser } from '../../../src/parse/parsers/ps';
import { ssParser } from '../../../src/parse/parsers/ss';
import { wazuhParser } from '../../../src/parse/parsers/wazuh';
import { corpusLines } from '../../support/corpus';
import { context, fixture, web01 } from './evidence-fixtures';

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

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

/** Every real record we hold, by the kind that produced it. */
const RECORDS: ReadonlyArray<readonly [InputKind, string, string]> = [
  ['aide', 'web01 aide-report.json', web01('aide-report.json')],
  ['aide', 'db02-dst-aide-report.json', fixture('aide', 'db02-dst-aide-report.json')],
  ['aide', 'lab-changed-attributes.json', fixture('aide', 'lab-changed-attributes.json')],
  ['aide', 'web01 aide-report.txt', web01('aide-report.txt')],
  ['aide', 'lab-changed-attributes.txt', fixture('aide', 'lab-changed-attributes.txt')],
  ...['beats-meta-data.json', 'fim-readme-attributes-modified.json', 'fim-sample-event-created.json'].map(
    (n) => ['auditbeat', n, fixture('auditbeat', n)] as const,
  ),
  ...[
    'who-linux-2018-hosts-allow.json',
    'getting-started-2020-etc-hosts.json',
    'indexer-hit-2025-hosts-allow-minus0500.json',
    'indexer-hit-2025-sshd-config-ebpf.json',
  ].map((n) => ['wazuh', n, fixture('wazuh', n)] as const),
  ...[
    'docs-event-added.json',
    'docs-event-removed.json',
    'docs-snapshot.json',
    'docs-batch.json',
    'panther-listening-ports-udp.json',
  ].map((n) => ['osquery', n, fixture('osquery', n)] as const),
  ...lines(fixture('osquery', 'integrations-results.log')).map(
    (l, i) => ['osquery', `integrations line ${i + 1}`, l] as const,
  ),
  ...[
    'ecs-logging-spec-mvp.json',
    'ecs-logging-spec-richer.json',
    'integrations-system-auth-sample-event.json',
  ].map((n) => ['ecs', n, fixture('ecs', n)] as const),
  ['ss', 'web01 ss-tunap.txt', web01('ss-tunap.txt')],
  ['ss', 'web01 ss-tlnp.txt', web01('ss-tlnp.txt')],
  ...lines(web01('ss-tunap.txt')).map((l, i) => ['ss', `web01 ss-tunap line ${i + 1}`, l] as const),
  ...[
    'db02-ss-tunap.txt',
    'db02-ss-tlnp.txt',
    'ss-tunap-header.txt',
    'ss-tunap-noheader.txt',
    'ss-tlnp-header.txt',
    'ss-tlnp-noheader.txt',
    'ss-ulnp-header.txt',
    'ss-tunap-shared.txt',
    'ss-tlnp-shared-noheader.txt',
  ].map((n) => ['ss', n, fixture('ss', n)] as const),
  ['lsof', 'web01 lsof-i.txt', web01('lsof-i.txt')],
  ...lines(web01('lsof-i.txt')).map((l, i) => ['lsof', `web01 lsof line ${i + 1}`, l] as const),
  ...['db02-lsof-i.txt', 'lab02-lsof-i.txt', 'lab02-lsof-i-shared.txt'].map(
    (n) => ['lsof', n, fixture('lsof', n)] as const,
  ),
  ['ps', 'web01 ps-auxww.txt', web01('ps-auxww.txt')],
  ...lines(web01('ps-auxww.txt')).map((l, i) => ['ps', `web01 ps line ${i + 1}`, l] as const),
  ...['db02-ps-auxww.txt', 'lab02-ps-auxww.txt', 'kernel-threads-ps-auxww.txt'].map(
    (n) => ['ps', n, fixture('ps', n)] as const,
  ),
];

/** Records of other kinds that none of these parsers may claim. */
const FOREIGN: ReadonlyArray<readonly [string, string]> = [
  ['osquery file_events row alone', fixture('osquery', 'docs-file-events-row.json')],
  ['syslog line', lines(web01('auth.log'))[0]!],
  ['rsyslog jsonmesg line', lines(web01('all-rsyslog.jsonl'))[0]!],
  ['web01 actions.jsonl line', lines(web01('actions.jsonl'))[0]!],
  ['web01 manifest', web01('manifest.json')],
];

describe('sniffing: each parser claims its own kind and no other', () => {
  for (const [kind, name, text] of RECORDS) {
    it(`${kind}: ${name}`, () => {
      const claimed = PARSERS.filter((p) => p.sniff(text)).map((p) => p.kind);
      // Auditbeat documents are ECS too; `auto` tries auditbeat first (INPUT_KINDS order)
      const expected = kind === 'auditbeat' ? ['auditbeat', 'ecs'] : [kind];
      expect(claimed).toEqual(expected);
    });
  }

  for (const [name, text] of FOREIGN) {
    it(`none: ${name}`, () => {
      expect(PARSERS.filter((p) => p.sniff(text)).map((p) => p.kind)).toEqual([]);
    });
  }

  it('no line of the syslog corpora (loghub, every web01 log encoding) is claimed', () => {
    const logs = [
      ['loghub', 'Linux_2k.log'],
      ['loghub', 'OpenSSH_2k.log'],
      ['web01', 'auth.log'],
      ['web01', 'auth-rfc5424.log'],
      ['web01', 'auth-iso8601.log'],
      ['web01', 'all-rsyslog.jsonl'],
      ['web01', 'syslog'],
    ] as const;
    for (const [dir, name] of logs) {
      const claimed = corpusLines(dir, name).filter((l) => PARSERS.some((p) => p.sniff(l)));
      expect(claimed, `${dir}/${name}`).toEqual([]);
    }
  });

  it('in INPUT_KINDS order the first claimant is always the right kind', () => {
    const ordered = [...PARSERS].sort((a, b) => INPUT_KINDS.indexOf(a.kind) - INPUT_KINDS.indexOf(b.kind));
    for (const [kind, , text] of RECORDS) expect(ordered.find((p) => p.sniff(text))?.kind).toBe(kind);
  });

  it('sniff and parse stay linear on large and pathological records', () => {
    const records = [
      `{"@timestamp": "x", "a": "${'y'.repeat(1 << 20)}"}`,
      // colons everywhere: an `\S+:\S+` address pattern backtracks quadratically on this
      `tcp ESTAB 0 0 ${':'.repeat(200_000)} x`,
      `ESTAB 0 0 a:${'b:'.repeat(100_000)} ${'c'.repeat(100_000)}`,
      `nc 1 root 3u IPv4 1 0t0 TCP ${' '.repeat(200_000)}y`,
      `root 1 0.0 0.0 1 1 ? S 09:10 ${'0:00 '.repeat(40_000)}`,
    ];
    for (const text of records) {
      for (const p of PARSERS) {
        const start = performance.now();
        expect(typeof p.sniff(text)).toBe('boolean');
        p.parse(text, context());
        expect(performance.now() - start, `${p.kind} on ${text.slice(0, 20)}`).toBeLessThan(500);
      }
    }
  });
});
