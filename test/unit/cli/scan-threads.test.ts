import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, tuxwatch } from '../../support/cli';
import { CORPUS } from '../../support/corpus';

/** The alerts of a run without their creation time (the one field that is the clock's, not the evidence's). */
const alerts = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const doc = JSON.parse(l) as { event: Record<string, unknown> };
      delete doc.event.created;
      return JSON.stringify(doc);
    });

describe('scan on worker threads', () => {
  it('gives the one-thread result exactly: same alerts, same order, same counts (the whole corpus and samples)', () => {
    const args = [
      'scan',
      '--format',
      'ndjson',
      '--host',
      'web01',
      '--timezone',
      'Europe/Berlin',
      CORPUS,
      'samples',
    ];
    const one = tuxwatch([...args, '--threads', '1']);
    const two = tuxwatch([...args, '--threads', '2']);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(alerts(one.stdout).length).toBeGreaterThan(50);
    expect(alerts(two.stdout)).toEqual(alerts(one.stdout));
    // the summary: records, events (counted in the workers or here), dead letters, the evidence's span
    const summary = (stderr: string) => stderr.slice(stderr.indexOf('\nsummary'));
    expect(summary(two.stderr)).toEqual(summary(one.stderr));
  }, 120_000);

  it('--emit events prints every event in input order, as one thread does', () => {
    const args = ['scan', '--emit', 'events', '--year', '2026', `${CORPUS}/loghub`];
    const one = tuxwatch([...args, '--threads', '1']);
    const three = tuxwatch([...args, '--threads', '3']);
    expect(three.stdout.split('\n').length).toBeGreaterThan(3000);
    expect(three.stdout).toEqual(one.stdout);
  }, 120_000);

  it('reads ahead of the stateful stages by a bounded amount, however fast the worker answers', () => {
    // 600,000 records the main thread must all see again (each a dead letter): with every answered piece
    // kept until taken, the worker had the whole file read ahead of it (195 MB live at 400,000 records)
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-readahead-'));
    try {
      const file = join(dir, 'unparseable.log');
      writeFileSync(
        file,
        Array.from({ length: 600_000 }, (_, i) => `xx not a log line ${i}`).join('\n') + '\n',
      );
      const run = spawnSync(
        process.execPath,
        ['--max-old-space-size=96', CLI, 'scan', '--threads', '2', '--format', 'ndjson', file],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      expect(run.stderr).toContain('600000 record(s), 0 event(s), 600000 dead letter(s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('starts its workers before it reads the command line: --threads=N alike, and a usage error still exits', () => {
    const args = ['scan', '--format', 'ndjson', '--host', 'web01', 'samples/web01'];
    const one = tuxwatch([...args, '--threads', '1']);
    const two = tuxwatch([...args, '--threads=2']);
    expect(two.status, two.stderr).toBe(0);
    expect(alerts(two.stdout).length).toBeGreaterThan(10);
    expect(alerts(two.stdout)).toEqual(alerts(one.stdout));
    // the worker the stub started is never given its setup: it must not hold the process open
    const bad = spawnSync(process.execPath, [CLI, 'scan', '--threads', '2', '--min-severity', 'dire', '-'], {
      cwd: REPO,
      encoding: 'utf8',
      input: '',
      timeout: 30_000,
    });
    expect(bad.signal).toBeNull();
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--min-severity');
  }, 120_000);

  it('--threads must be a whole number from 1', () => {
    expect(tuxwatch(['scan', '--threads', '0', '-'], '').status).toBe(2);
    expect(tuxwatch(['scan', '--threads', 'many', '-'], '').status).toBe(2);
  });
});
