import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, tuxwatch } from '../../support/cli';

const WEB01 = join(REPO, 'samples', 'web01');
const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-report-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--report FILE: where it cannot or must not go', () => {
  it('a directory that does not exist is said before the evidence is read: exit 2, nothing printed', () => {
    const run = tuxwatch(['scan', '--host', 'web01', '--report', '/nonexistent/dir/report.html', WEB01]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    // the scan never ran: no summary, only the reason
    expect(run.stderr).toBe(
      'tuxwatch: cannot write the report to /nonexistent/dir/report.html: no such file or directory (ENOENT)\n',
    );
  });

  it('a directory: said before the evidence is read, exit 2', () => {
    const run = tuxwatch(['scan', '--host', 'web01', '--report', dir, WEB01]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`tuxwatch: cannot write the report to ${dir}: a directory (EISDIR)\n`);
  });

  it('a full disk (/dev/full): the reason in a line, exit 2, no stack trace', () => {
    const run = tuxwatch(['scan', '--host', 'web01', '--report', '/dev/full', WEB01]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'tuxwatch: cannot write the report to /dev/full: no space left on device (ENOSPC)\n',
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a file that is evidence given to the scan is refused, and left as it was', () => {
    const evidence = join(dir, 'auth.log');
    const text = readFileSync(join(WEB01, 'auth.log'), 'utf8');
    writeFileSync(evidence, text);
    for (const given of [evidence, dir]) {
      const run = tuxwatch(['scan', '--host', 'web01', '--report', evidence, given]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(
        `--report ${evidence} is evidence given to scan (${given}): choose another file`,
      );
      expect(readFileSync(evidence, 'utf8')).toBe(text);
    }
  });

  it('a writable place gets the report', () => {
    const report = join(dir, 'report.html');
    const run = tuxwatch(['scan', '--host', 'web01', '--report', report, WEB01]);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(report, 'utf8')).toContain('<html');
  });
});
