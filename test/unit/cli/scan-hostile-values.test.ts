import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';

// each test runs the CLI, some several times, on a machine shared with other builds
vi.setConfig({ testTimeout: 60_000 });

const HOSTILE = resolve(__dirname, '..', '..', 'hostile');
const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-hostile-values-'));

describe('S07: prototype keys are refused nested or dotted', () => {
  it('every record carrying __proto__, constructor or prototype as a key or a key part is a dead letter', () => {
    const dl = join(dir, 'proto.dl');
    const run = tuxwatch(['scan', '--emit', 'events', '--dead-letter', dl, join(HOSTILE, 'proto.ndjson')]);
    expect(run.status, run.stderr).toBe(0);
    // only the record with plain Object.prototype method names (toString, valueOf) is an event
    const events = ndjson<{ message: string }>(run.stdout);
    expect(events.map((e) => e.message)).toEqual(['f']);
    expect(run.stdout).not.toMatch(/__proto__|"constructor"|"prototype"/);
    const reasons = ndjson<{ reason: string }>(readFileSync(dl, 'utf8')).map((e) => e.reason);
    expect(reasons).toHaveLength(6);
    for (const key of ['"a.__proto__.polluted"', '"__proto__.polluted"', '"constructor.prototype.polluted"'])
      expect(reasons.some((r) => r.includes(`forbidden key ${key}`))).toBe(true);
  });
});

describe('S09: an impossible offset is refused', () => {
  it('`+99:99` is a dead letter, not an event four days off', () => {
    const run = tuxwatch(['scan', '--emit', 'events', '-'], '2026-11-26T09:11:17+99:99 web01 sshd[1]: x\n');
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/1 of 1 records could not be parsed \(1 × syslog\)/);
  });
});

describe('S18: --max-record-bytes takes a whole number of bytes or nothing', () => {
  it.each(['abc', '1e999', '-1', '0', ' ', '0x10', '1.5', '99999999999999999999'])(
    '%j is bad usage (exit 2)',
    (v) => {
      const run = tuxwatch(['scan', '--max-record-bytes', v, '-'], '');
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/--max-record-bytes.*a whole number of bytes from 1 to 1073741824/);
    },
  );

  it('a good value bounds records', () => {
    const file = join(dir, 'long.log');
    writeFileSync(file, `Nov 26 09:11:17 web01 sshd[1]: ${'A'.repeat(100)}\n`);
    const run = tuxwatch(['scan', '--max-record-bytes', '64', file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/1 × record over the limit of 64 bytes/);
  });
});
