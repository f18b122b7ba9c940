import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CLI, ndjson, REPO } from '../../support/cli';

// each test runs the CLI, some several times, on a machine shared with other builds
vi.setConfig({ testTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-amplify-'));

interface AlertDoc {
  rule: { id: string };
  source: { ip: string };
  tuxwatch: { related?: { count: number }; alert: { count: number } };
}

describe('S19: a forged repeat count costs one event, not N', () => {
  it('600 lines of `message repeated 10000 times` scan in a 96 MB heap: one brute-force alert per address counting 10,000', () => {
    // any local user can write these with `logger -t sshd`; at b404a64 they took 4.3 GB and crashed
    const lines = Array.from(
      { length: 600 },
      (_, i) =>
        `Nov 26 09:11:17 web01 sshd[1]: message repeated 10000 times: [ Failed password for root from 198.51.${i >> 8}.${i & 255} port 22 ssh2]`,
    );
    const file = join(dir, 'repeat-oom.log');
    writeFileSync(file, lines.join('\n') + '\n');
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=96', CLI, 'scan', '--year', '2026', file],
      {
        cwd: REPO,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    // every line is a failure for root: account-brute-force fires per line too (ten thousand attempts each)
    const alerts = ndjson<AlertDoc>(run.stdout).filter((a) => a.rule.id !== 'account-brute-force');
    expect(alerts).toHaveLength(600);
    expect(new Set(alerts.map((a) => a.source.ip)).size).toBe(600);
    for (const a of alerts) {
      expect(a.rule.id).toBe('ssh-brute-force');
      expect(a.tuxwatch.related?.count).toBe(10_000);
    }
  });

  it('--emit events prints the one event with its count', () => {
    const file = join(dir, 'one.log');
    writeFileSync(
      file,
      'Nov 26 09:11:17 web01 sshd[1]: message repeated 99999999999999999999 times: [ Failed password for root from 203.0.113.9 port 22 ssh2]\n',
    );
    const run = spawnSync(process.execPath, [CLI, 'scan', '--emit', 'events', file], {
      cwd: REPO,
      encoding: 'utf8',
    });
    const events = ndjson<{ tuxwatch: { event: { count: number } }; event: { outcome: string } }>(run.stdout);
    expect(events).toHaveLength(1);
    expect(events[0]!.tuxwatch.event.count).toBe(Number.MAX_SAFE_INTEGER);
    expect(events[0]!.event.outcome).toBe('failure');
  });
});
