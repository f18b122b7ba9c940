import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A file of test/fixtures/collect (real tools' output; each folder's README says how it was made). */
export const collectFixture = (path: string): Buffer =>
  readFileSync(resolve(__dirname, '../../fixtures/collect', path));
export const collectText = (path: string): string => collectFixture(path).toString('utf8');

/** test/fixtures/snapshot: records of `tuxwatch collect` swept in a Debian root (test/system). */
export const snapshotLines = (name: string): string[] =>
  readFileSync(resolve(__dirname, '../../fixtures/snapshot', `${name}.ndjson`), 'utf8')
    .trim()
    .split('\n');
