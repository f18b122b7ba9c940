import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';
import { progressAllowed } from '../../../src/observability/scan-progress';

const ARGS = ['scan', '--format', 'ndjson', '--year', '2026', corpusPath('loghub')];
const BAR = /\d+% \| \d+ of \d+ MB \| \d+ records\/s \| ETA/;

/** The scan in a real pseudo-terminal (util-linux script), "large" lowered to 1 byte for the small input. */
function inTerminal(env: NodeJS.ProcessEnv) {
  const { CI: _ci, TERM: _term, ...rest } = process.env;
  return spawnSync(
    'script',
    [
      '-qfec',
      `'${process.execPath}' '${CLI}' ${ARGS.map((a) => `'${a}'`).join(' ')} 2>&1 >/dev/null`,
      '/dev/null',
    ],
    {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...rest, TERM: 'xterm', TUXWATCH_PROGRESS_MIN_BYTES: '1', ...env },
    },
  );
}

describe('scan progress', () => {
  it('a terminal gets a bar on stderr for a large input: bytes of the total, records/s, ETA', () => {
    const r = inTerminal({});
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(BAR);
  }, 30_000);

  it('not in a CI job that runs commands in a terminal (CI set), nor on a dumb terminal', () => {
    for (const env of [{ CI: 'true' }, { CI: '1' }, { TERM: 'dumb' }]) {
      const r = inTerminal(env);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout, JSON.stringify(env)).not.toMatch(/records\/s|ETA/);
    }
    // and the summary still reaches the terminal
    expect(inTerminal({ CI: 'true' }).stdout).toContain('summary');
  }, 60_000);

  it('CI=false or empty is no CI', () => {
    for (const CI of ['false', 'FALSE', '0', '', ' '])
      expect(progressAllowed({ isTTY: true }, { CI }), CI).toBe(true);
    expect(progressAllowed({ isTTY: true }, {})).toBe(true);
    expect(progressAllowed({ isTTY: false }, {})).toBe(false);
    expect(progressAllowed({}, {})).toBe(false);
  });

  it('never in a pipe', () => {
    const r = tuxwatch(ARGS, undefined, { TUXWATCH_PROGRESS_MIN_BYTES: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/records\/s|ETA/);
  }, 30_000);
});
