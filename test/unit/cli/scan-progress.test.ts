import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';

const ARGS = ['scan', '--format', 'ndjson', '--year', '2026', corpusPath('loghub')];

describe('scan progress', () => {
  it('a terminal gets a bar on stderr for a large input: bytes of the total, records/s, ETA', () => {
    // a real pseudo-terminal (util-linux script); "large" lowered to 1 byte for the test's small input
    const r = spawnSync(
      'script',
      [
        '-qfec',
        `'${process.execPath}' '${CLI}' ${ARGS.map((a) => `'${a}'`).join(' ')} 2>&1 >/dev/null`,
        '/dev/null',
      ],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, TUXWATCH_PROGRESS_MIN_BYTES: '1' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\d+% \| \d+ of \d+ MB \| \d+ records\/s \| ETA/);
  }, 30_000);

  it('never in a pipe', () => {
    const r = tuxwatch(ARGS, undefined, { TUXWATCH_PROGRESS_MIN_BYTES: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/records\/s|ETA/);
  }, 30_000);
});
