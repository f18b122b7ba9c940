import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseRecord } from '../../../src/parse/parse-record';
import { tuxwatch } from '../../support/cli';
import { CORPUS } from '../../support/corpus';

const REPO = resolve(__dirname, '..', '..', '..');
const DETECTIONS = join(REPO, 'detections');
const FIXTURES = join(REPO, 'test', 'fixtures');

type Doc = Record<string, unknown>;
interface TestCase {
  name: string;
  expect: string;
  record?: string;
  event?: Record<string, unknown>;
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });

const rules: { id: string; doc: Doc }[] = readdirSync(DETECTIONS)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => {
    const docs = parseAllDocuments(readFileSync(join(DETECTIONS, f), 'utf8'));
    expect(docs, f).toHaveLength(1);
    return { id: f.replace(/\.yml$/, ''), doc: docs[0]!.toJS() as Doc };
  });

describe('tuxwatch rules validate / test on the bundled pack', () => {
  it('validate exits 0 with no errors or warnings', () => {
    const run = tuxwatch(['rules', 'validate']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.split('\n').filter((l) => /: (error|warning): /.test(l))).toEqual([]);
  });

  it('every test case of every rule passes', () => {
    const run = tuxwatch(['rules', 'test']);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/rules test: \d+ passed, 0 failed/);
  });
});

describe('every rule of the pack is complete', () => {
  const uuids = new Set<string>();
  it.each(rules.map((r) => [r.id, r.doc] as const))('%s', (id, doc) => {
    for (const key of [
      'title',
      'id',
      'status',
      'description',
      'references',
      'author',
      'date',
      'tags',
      'level',
    ])
      expect(doc[key], `${id}: ${key}`).toBeDefined();
    expect(doc['author']).toBe('tuxwatch');
    expect(String(doc['id'])).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(uuids.has(String(doc['id']))).toBe(false);
    uuids.add(String(doc['id']));
    const tags = doc['tags'] as string[];
    expect(
      tags.some((t) => /^attack\.t\d{4}(\.\d{3})?$/.test(t)),
      `${id}: technique tag`,
    ).toBe(true);
    expect(
      tags.some((t) => /^attack\.[a-z-]+$/.test(t) && !/^attack\.t\d/.test(t)),
      `${id}: tactic`,
    ).toBe(true);
    expect((doc['falsepositives'] as unknown[]).length).toBeGreaterThan(0);
    if (doc['correlation'] !== undefined) return; // correlations are tested through their rules and by scan
    expect(doc['logsource']).toBeDefined();
    expect(doc['detection']).toBeDefined();
    const cases = doc['tests'] as TestCase[];
    expect(
      cases.some((c) => c.expect === 'match'),
      `${id}: a positive case`,
    ).toBe(true);
    expect(
      cases.some((c) => c.expect === 'no-match'),
      `${id}: a negative case`,
    ).toBe(true);
    expect(
      cases.some((c) => c.record !== undefined),
      `${id}: a real record`,
    ).toBe(true);
  });
});

describe('test records are real evidence, never retyped', () => {
  const evidence = [...files(CORPUS), ...files(FIXTURES)]
    .filter((f) => !f.endsWith('.sh') && !f.endsWith('.md') && !f.endsWith('LICENSE'))
    .map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
  // loghub's files end lines with CRLF: a line copied without its CR is the same line
  const lines = new Set(evidence.flatMap((e) => e.text.split('\n').map((l) => l.replace(/\r$/, ''))));
  const wholes = new Set(evidence.map((e) => e.text.replace(/\n$/, '')));
  // the part of a multi-event record (an AIDE report) that produced one event: what event.original holds
  const originals = new Set<string>();
  for (const { file, text } of evidence) {
    if (!/aide.*\.json$/.test(file)) continue;
    const r = parseRecord(
      { text, origin: { type: 'file', path: file, line: 1 }, kind: 'aide' },
      { timezone: 'UTC', maxRecordBytes: 1 << 22 },
      new Date(),
    );
    if (r.ok) for (const e of r.events) originals.add(e['event.original']);
  }

  const cases = rules.flatMap(({ id, doc }) =>
    ((doc['tests'] as TestCase[] | undefined) ?? []).map((c) => [`${id}: ${c.name}`, c] as const),
  );

  it.each(cases)('%s', (_, c) => {
    if (c.record !== undefined) {
      const text = c.record.replace(/\n$/, '');
      const real = wholes.has(text) || text.split('\n').every((l) => lines.has(l));
      expect(real, `record is not copied from ${relative(REPO, CORPUS)} or test/fixtures`).toBe(true);
    }
    const original = c.event?.['event.original'];
    if (typeof original === 'string' && original !== '')
      expect(lines.has(original) || originals.has(original), 'event.original is not real').toBe(true);
  });
});
