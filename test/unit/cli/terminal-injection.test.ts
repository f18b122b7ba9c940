import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { REPO, tuxwatch } from '../../support/cli';

// each test runs the CLI, some several times, on a machine shared with other builds
vi.setConfig({ testTimeout: 60_000 });

const HOSTILE = resolve(__dirname, '..', '..', 'hostile');
const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-terminal-'));

/** Anything a terminal would act on, other than the newline that ends each output line. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const rawIn = (text: string): string | undefined => text.split('\n').find((line) => RAW.test(line));

describe('control characters from evidence, rule files and file names never reach the terminal raw', () => {
  it('T01/T03: the alert table escapes every cell, and a LF in a field forges no row', () => {
    const files = [
      'hostile-ecs.ndjson',
      'hostile-filebeat.ndjson',
      'hostile-rsyslog.ndjson',
      'hostile-syslog.log',
    ];
    const table = tuxwatch(['scan', '--format', 'table', ...files.map((f) => join(HOSTILE, f))]);
    expect(table.status, table.stderr).toBe(0);
    expect(rawIn(table.stdout)).toBeUndefined();
    // the same alerts as NDJSON, one line each: the table has exactly one row per alert under its header
    const alerts = tuxwatch(['scan', '--format', 'ndjson', ...files.map((f) => join(HOSTILE, f))]);
    const rows = table.stdout.split('\n\nsummary\n')[0]!.trimEnd().split('\n');
    expect(rows).toHaveLength(alerts.stdout.trimEnd().split('\n').length + 1);
    expect(rows.length).toBeGreaterThan(5);
    // shown, not dropped: the responder sees what the attacker wrote
    expect(table.stdout).toContain('\\x1b[31mRED-HOST\\x1b[0m');
    expect(table.stdout).toContain('target=toor\\x1b[1K\\x1b[Gfake');
    expect(table.stdout).toContain('innocent\\rROOTKIT');
    expect(table.stdout).toContain('line1\\n2026-11-26T09:11:17.000Z informational fake-row');
    expect(table.stdout).toContain('web01\\u{202e}gnp.exe');
    expect(table.stdout).toContain('t\\x85o\\x9b2Jor');
  });

  it('T04: rules validate and rules test escape rule file names and quoted rule text', () => {
    const rules = join(dir, 'rules');
    mkdirSync(rules);
    const name = join(rules, '\u001b[2J\u001b[31mred.yml');
    writeFileSync(
      name,
      readFileSync(join(REPO, 'detections', 'new-uid0-account.yml'), 'utf8').replace(
        /condition: .*/,
        'condition: "n\u001b]0;pwned\u0007ope"',
      ),
    );
    for (const command of ['validate', 'test']) {
      const run = tuxwatch(['rules', command, rules]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('\\x1b[2J\\x1b[31mred.yml:');
      expect(run.stdout).toContain('n\\x1b]0;pwned\\x07ope');
      expect(rawIn(run.stdout)).toBeUndefined();
      expect(rawIn(run.stderr)).toBeUndefined();
    }
  });

  it("T05: scan's messages escape evidence file names", () => {
    const evidence = join(dir, 'escnames');
    mkdirSync(evidence);
    writeFileSync(join(evidence, 'README\u001b[2J\u001b]0;pwned\u0007'), 'hello\n');
    writeFileSync(join(evidence, 'x\u001b[31m.log'), 'Nov 26 09:11:17 web01 sshd[1]: x\n\u0000junk\n');
    const run = tuxwatch(['scan', '--dead-letter', join(dir, 'dl.ndjson'), evidence]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('README\\x1b[2J\\x1b]0;pwned\\x07');
    expect(run.stderr).toContain('1 of 2 records could not be parsed');
    expect(rawIn(run.stderr)).toBeUndefined();
  });

  it('an error message naming an input is escaped too', () => {
    const run = tuxwatch(['scan', join(dir, 'missing\u001b[2J.log')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing\\x1b[2J.log');
    expect(rawIn(run.stderr)).toBeUndefined();
  });
});
