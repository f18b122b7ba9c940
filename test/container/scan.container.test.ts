import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { ndjson, REPO, tuxwatch } from '../support/cli';
import { describeImage, runToExit } from './support';

const SAMPLES = resolve(REPO, 'samples', 'web01');
const ARGS = ['scan', '--host', 'web01', '--timezone', 'Europe/Berlin'];

/** An alert without the one field that differs between two runs: when it was made. */
const comparable = (alert: Record<string, unknown>): string => {
  const event = { ...(alert['event'] as Record<string, unknown>) };
  delete event['created'];
  return JSON.stringify({ ...alert, event });
};

describeImage('the image: tuxwatch scan', () => {
  it('over samples/web01 mounted read-only gives the same alerts as on the host', async () => {
    const host = tuxwatch([...ARGS, SAMPLES]);
    expect(host.status, host.stderr).toBe(0);
    const expected = ndjson(host.stdout);
    expect(expected.length).toBeGreaterThan(10);

    const { code, output } = await runToExit([...ARGS, '/evidence'], (c) =>
      c.withBindMounts([{ source: SAMPLES, target: '/evidence', mode: 'ro' }]),
    );
    expect(code, output).toBe(0);
    // stdout and stderr share the container's log: the alerts are its JSON lines
    const alerts = ndjson(
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .join('\n'),
    );
    expect(alerts.map(comparable)).toEqual(expected.map(comparable));
  });
});
