import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../support/cli';

/** `tuxwatch serve` with only the given environment (and PATH). */
function serve(env: Record<string, string>) {
  return spawnSync(process.execPath, [CLI, 'serve'], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('serve refuses a bad configuration before connecting anywhere', () => {
  it.each([
    [{}, ['KAFKA_BROKERS', 'ELASTICSEARCH_URL']],
    [{ KAFKA_BROKERS: 'kafka', ELASTICSEARCH_URL: 'http://127.0.0.1:1' }, ['KAFKA_BROKERS']],
    [{ KAFKA_BROKERS: '127.0.0.1:1', ELASTICSEARCH_URL: 'elastic' }, ['ELASTICSEARCH_URL']],
    [
      { KAFKA_BROKERS: '127.0.0.1:1', ELASTICSEARCH_URL: 'http://127.0.0.1:1', TUXWATCH_TIMEZONE: 'Berlin' },
      ['TUXWATCH_TIMEZONE'],
    ],
  ])('%j exits non-zero naming %j', (env, names) => {
    const run = serve(env);
    expect(run.status).toBe(1);
    for (const name of names) expect(run.stderr).toContain(name);
  });

  it('never echoes a secret', () => {
    const run = serve({
      KAFKA_BROKERS: 'bad',
      ELASTICSEARCH_URL: 'http://127.0.0.1:1',
      ELASTICSEARCH_API_KEY: 'c2VjcmV0LWFwaS1rZXk=',
    });
    expect(run.status).toBe(1);
    expect(run.stderr + run.stdout).not.toContain('c2VjcmV0LWFwaS1rZXk=');
  });
});
