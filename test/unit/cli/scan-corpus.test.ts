import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, tuxwatch } from '../../support/cli';
import { CORPUS, corpusPath } from '../../support/corpus';

describe('scan over the whole evidence corpus', () => {
  it(
    'leaves the dead-letter file empty and names the non-evidence files it skipped',
    { timeout: 60_000 },
    () => {
      const dl = join(mkdtempSync(join(tmpdir(), 'tuxwatch-corpus-')), 'dl.ndjson');
      const run = tuxwatch([
        'scan',
        '--host',
        'web01',
        '--timezone',
        'Europe/Berlin',
        '--dead-letter',
        dl,
        CORPUS,
      ]);
      expect(run.status).toBe(0);
      expect(readFileSync(dl, 'utf8')).toBe('');
      // every host directory has its scenario notes (actions, manifest); web02's audit.log is evidence (auditd)
      const skipped = /skipped (\d+) file\(s\)[^:]*: (.*)$/m.exec(run.stderr);
      expect(skipped, run.stderr).not.toBeNull();
      const names = skipped![2]!.split(', ').map((p) => relative(CORPUS, p));
      const notes = ['README.md', join('loghub', 'LICENSE')];
      for (const host of ['web01', 'web02'])
        for (const f of ['actions.jsonl', 'actions.jsonl.meta', 'manifest.json']) notes.push(join(host, f));
      expect(names.sort()).toEqual(notes.sort());
      expect(Number(skipped![1])).toBe(names.length);
      expect(run.stderr).not.toMatch(/could not be parsed/);
    },
  );

  it('a skipped kind of file is still read when named: every record then has its say', () => {
    const run = tuxwatch(['scan', corpusPath('web01', 'manifest.json')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/1 of 1 records could not be parsed/);
  });

  it('the AIDE text report is one document, read as AIDE: one event per entry, as the JSON report', () => {
    const count = (file: string) => {
      const run = tuxwatch([
        'scan',
        '--emit',
        'events',
        '--host',
        'web01',
        '--timezone',
        'Europe/Berlin',
        corpusPath('web01', file),
      ]);
      expect(run.status, run.stderr).toBe(0);
      return ndjson<{ file: { path: string } }>(run.stdout)
        .map((e) => e.file.path)
        .sort();
    };
    const text = count('aide-report.txt');
    expect(text.length).toBe(36);
    expect(text).toEqual(count('aide-report.json'));
  });
});
