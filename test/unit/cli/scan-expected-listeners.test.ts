import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { corpusPath } from '../../support/corpus';

interface AlertDoc {
  rule: { id: string };
  process: { name: string };
  server: { port: number };
}

const listeners = (extra: string[]) =>
  ndjson<AlertDoc>(tuxwatch(['scan', '--host', 'web01', ...extra, corpusPath('web01', 'ss-tlnp.txt')]).stdout)
    .filter((a) => a.rule.id === 'suspicious-listener')
    .map((a) => `${a.process.name}:${a.server.port}`)
    .sort();

describe('the expected-listeners table is overridable', () => {
  it('a site that runs smbd on 8081 says so; 31337 stays suspicious as a known backdoor port', () => {
    expect(listeners([])).toEqual(['nc.openbsd:1337', 'smbd:31337', 'smbd:8081']);
    const file = join(mkdtempSync(join(tmpdir(), 'tuxwatch-listeners-')), 'site.yml');
    writeFileSync(file, 'programs:\n  smbd: [139, 445, 8081]\n');
    expect(listeners(['--expected-listeners', file])).toEqual(['nc.openbsd:1337', 'smbd:31337']);
  }, 30_000); // two scans: a loaded machine takes seconds

  it('a malformed table is bad usage, not a silent default', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tuxwatch-listeners-')), 'broken.yml');
    writeFileSync(file, 'programs: [oops\n');
    const run = tuxwatch(['scan', '--expected-listeners', file, corpusPath('web01', 'ss-tlnp.txt')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('broken.yml');
  });
});
