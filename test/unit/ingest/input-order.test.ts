import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expandInputs,
  generationsInOrder,
  oldestGenerationFirst,
} from '../../../src/ingest/files/input-walk';

describe('directory order: a rotated log oldest first', () => {
  it("logrotate's numbered and dated generations come before the live file, oldest first", () => {
    const names = [
      'syslog',
      'auth.log',
      'auth.log.1',
      'auth.log.10.gz',
      'auth.log.2.gz',
      'auth-iso8601.log',
      'secure',
      'secure-20261113.gz',
      'secure-20261120',
      'syslog.1',
      'all-rsyslog.jsonl',
    ];
    expect([...names].sort(oldestGenerationFirst)).toEqual([
      'all-rsyslog.jsonl',
      'auth-iso8601.log',
      'auth.log.10.gz',
      'auth.log.2.gz',
      'auth.log.1',
      'auth.log',
      'secure-20261113.gz',
      'secure-20261120',
      'secure',
      'syslog.1',
      'syslog',
    ]);
  });

  it("savelog's .0, dashed dates and dates with a time or epoch suffix", () => {
    expect(['auth.log', 'auth.log.0', 'auth.log.1.gz'].sort(oldestGenerationFirst)).toEqual([
      'auth.log.1.gz',
      'auth.log.0',
      'auth.log',
    ]);
    expect(['auth.log', 'auth.log-2026-11-20', 'auth.log-2026-11-13.gz'].sort(oldestGenerationFirst)).toEqual(
      ['auth.log-2026-11-13.gz', 'auth.log-2026-11-20', 'auth.log'],
    );
    expect(
      ['auth.log', 'auth.log-20261120-1795680000.gz', 'auth.log-20261120-1795600000.gz'].sort(
        oldestGenerationFirst,
      ),
    ).toEqual(['auth.log-20261120-1795600000.gz', 'auth.log-20261120-1795680000.gz', 'auth.log']);
    expect(['syslog.9', 'syslog.10', 'syslog'].sort(oldestGenerationFirst)).toEqual([
      'syslog.10',
      'syslog.9',
      'syslog',
    ]);
  });

  it('names that are not generations keep plain name order', () => {
    const names = ['b.log', 'a.log', 'ss-tlnp.txt', 'aide-report.json', 'lsof-i.txt'];
    expect([...names].sort(oldestGenerationFirst)).toEqual([...names].sort());
  });

  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-order-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory is walked in that order', async () => {
    for (const name of ['auth.log', 'auth.log.1', 'auth.log.2.gz', 'kern.log'])
      writeFileSync(join(dir, name), '');
    const inputs = await expandInputs([dir]);
    expect(inputs.map((i) => basename(i.path))).toEqual([
      'auth.log.2.gz',
      'auth.log.1',
      'auth.log',
      'kern.log',
    ]);
  });

  it("named files: a shell glob's newest-first generations are read oldest first, other paths keep their places", () => {
    expect(
      generationsInOrder([
        '/e/kern.log',
        '/var/log/auth.log',
        '/var/log/auth.log.1',
        'x.json',
        '/var/log/auth.log.2.gz',
      ]),
    ).toEqual([
      '/e/kern.log',
      '/var/log/auth.log.2.gz',
      '/var/log/auth.log.1',
      'x.json',
      '/var/log/auth.log',
    ]);
    // the same name in two directories is two logs
    expect(generationsInOrder(['a/auth.log', 'b/auth.log.1'])).toEqual(['a/auth.log', 'b/auth.log.1']);
  });
});
