import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReloadableDetector } from '../../../src/detect/reloadable-detector';
import { formatProblem } from '../../../src/domain/rule';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

const RULE = resolve(__dirname, '..', '..', '..', 'detections', 'new-uid0-account.yml');
const toor = (() => {
  const line = corpusLines('web01', 'auth.log').find((l) => l.includes('name=toor'))!;
  const r = parseRecord(
    { text: line, origin: { type: 'file', path: 'auth.log', line: 1 } },
    { timezone: 'Europe/Berlin', maxRecordBytes: 1 << 20 },
    new Date('2026-11-26T09:00:00Z'),
  );
  if (!r.ok) throw new Error(r.reason);
  return r.events[0]!;
})();

describe('live rule reload keeps the last good set', () => {
  it('loads, ignores an unchanged tree, keeps running through a broken edit, and takes the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-rules-'));
    const file = join(dir, 'new-uid0-account.yml');
    copyFileSync(RULE, file);
    const detector = new ReloadableDetector([dir]);

    expect(await detector.reload()).toMatchObject({ status: 'loaded', rules: 1 });
    expect(detector.evaluate(toor).map((d) => d.rule.level)).toEqual(['critical']);
    expect(await detector.reload()).toEqual({ status: 'unchanged' });

    // a bad indentation in the middle of the detection
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('  changed_to_root:', '    changed_to_root:\n bad: [unclosed'));
    const broken = await detector.reload();
    expect(broken.status).toBe('kept');
    if (broken.status !== 'kept') throw new Error('unreachable');
    expect(broken.problems.map(formatProblem).join('\n')).toMatch(
      new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: error`),
    );
    expect(detector.evaluate(toor).map((d) => d.rule.level)).toEqual(['critical']);

    // the fix: a valid edit (another level) replaces the running set
    writeFileSync(file, good.replace('level: critical', 'level: high'));
    expect(await detector.reload()).toMatchObject({ status: 'loaded', rules: 1 });
    expect(detector.evaluate(toor).map((d) => d.rule.level)).toEqual(['high']);
  });

  it('an empty or missing rule tree is never swapped in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-rules-'));
    const detector = new ReloadableDetector([dir]);
    expect((await detector.reload()).status).toBe('kept');
    expect(detector.ruleCount).toBe(0);
    expect(detector.evaluate(toor)).toEqual([]);
  });
});
