import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusLines } from '../../support/corpus';

const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-scan-'));

describe('bad input is reported, never fatal', () => {
  it('a file of garbage: one dead-letter entry per bad record, good records still alert, exit 0', () => {
    const good = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
    const bad = [
      'Nov 26 09:1', // truncated
      '{"msg": "x", "syslogtag": "sshd[1]:", ', // malformed JSON
      '{"msg":"x","timereported":"2026-11-26T09:10:47Z","hostname":"h","syslogtag":"a:","__proto__":{"x":1}}',
      'plain words that are not a log record',
      Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x00, 0x13]).toString('latin1'),
      'Nov 26 09:10:47 web01 sshd[1]: ' + 'A'.repeat(3000), // oversize under the limit set below
    ];
    const file = join(dir, 'garbage.log');
    writeFileSync(file, [bad[0], good, ...bad.slice(1)].join('\n') + '\n');
    const dl = join(dir, 'dl.ndjson');
    const run = tuxwatch([
      'scan',
      '--timezone',
      'Europe/Berlin',
      '--max-record-bytes',
      '2048',
      '--dead-letter',
      dl,
      file,
    ]);
    expect(run.status).toBe(0);
    const entries = ndjson<{ reason: string; source: string; original: string }>(readFileSync(dl, 'utf8'));
    expect(entries).toHaveLength(bad.length);
    for (const e of entries) {
      expect(e.reason.length).toBeGreaterThan(0);
      expect(e.source).toMatch(/garbage\.log:\d+$/);
    }
    expect(entries.map((e) => e.original)).toContain('plain words that are not a log record');
    expect(entries.find((e) => e.reason.includes('__proto__'))).toBeDefined();
    expect(entries.find((e) => e.reason.includes('exceeds the limit'))).toBeDefined();
    expect(run.stderr).toMatch(/6 of 7 records could not be parsed/);
    expect(ndjson(run.stdout)).toHaveLength(1);
  });

  it('without --dead-letter the count still reaches stderr', () => {
    const file = join(dir, 'two-bad.log');
    writeFileSync(file, 'junk one\njunk two\n');
    const run = tuxwatch(['scan', file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/2 of 2 records could not be parsed/);
  });

  it.each([
    [['scan', '--timezone', 'Mars/Base', 'x'], /--timezone/],
    [['scan', '--source', 'nonsense', 'x'], /--source/],
    [['scan', '/nonexistent/file'], /cannot read \/nonexistent\/file/],
    [['scan', '--rules', '/nonexistent/rules', '-'], /rules|nonexistent/],
  ])('bad usage %j exits 2 with a message', (args, message) => {
    const run = tuxwatch(args as string[], '');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
