import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BUNDLED_EXPECTED_LISTENERS,
  ListenerReferenceError,
  serializeParsedTable,
  tableDocument,
} from '../../../src/enrich/listener-reference';
import { REPO } from '../../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-parsed-listeners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shipped = readFileSync(BUNDLED_EXPECTED_LISTENERS, 'utf8');

/** A build's parse file for `text` whose document is `document` (to tell it from a parse of the text). */
function parsedFile(name: string, text: string, document: unknown): string {
  const file = join(dir, name);
  const real = JSON.parse(serializeParsedTable(text)!) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...real, document }));
  return file;
}

describe("the build's parse of the expected-listeners table", () => {
  it('is taken for the text it was made from', () => {
    const file = parsedFile('marked.json', shipped, { shells: ['from-the-build'] });
    expect(tableDocument('t.yml', shipped, file)).toEqual({ shells: ['from-the-build'] });
  });

  it('is not taken for any other text: an edited or a user table is parsed', () => {
    const file = parsedFile('marked.json', shipped, { shells: ['from-the-build'] });
    const edited = shipped + '\n# one more comment\n';
    expect(tableDocument('t.yml', edited, file)).toEqual(parse(shipped));
    expect(tableDocument('t.yml', 'shells: [zsh]\n', file)).toEqual({ shells: ['zsh'] });
  });

  it('absent, damaged or of another format, the text is parsed, and its errors are reported as before', () => {
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{"format":');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ format: 'something-else', sha256: 'x', document: {} }));
    for (const file of [join(dir, 'absent.json'), damaged, other])
      expect(tableDocument('t.yml', shipped, file)).toEqual(parse(shipped));
    expect(() => tableDocument('t.yml', 'shells: [a\n', damaged)).toThrow(ListenerReferenceError);
    expect(() => tableDocument('t.yml', 'a: 1\na: 2\n', damaged)).toThrow(/t\.yml: .*unique/i);
  });

  it('is not made for a document JSON cannot carry exactly', () => {
    expect(serializeParsedTable('ports: [-0]\n')).toBeUndefined();
    expect(serializeParsedTable('ports: [.inf]\n')).toBeUndefined();
    expect(serializeParsedTable('ports: [22]\n')).toBeDefined();
  });

  it('the build wrote one for the shipped table, and it is the YAML parse of it (npm test builds first)', () => {
    const built = join(REPO, 'dist', 'enrich', 'expected-listeners.json');
    const doc = JSON.parse(readFileSync(built, 'utf8')) as { document: unknown };
    expect(doc.document).toEqual(parse(shipped, { uniqueKeys: true }));
    expect(tableDocument(BUNDLED_EXPECTED_LISTENERS, shipped, built)).toEqual(doc.document);
  });
});
