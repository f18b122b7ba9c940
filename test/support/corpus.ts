import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** ../shared/corpus beside the repository (CI lays shared/ out the same way). */
export const CORPUS = resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
export const SIGMA_LINUX = resolve(__dirname, '..', '..', '..', 'shared', 'sigma-linux', 'rules');

export const corpusPath = (...parts: string[]): string => resolve(CORPUS, ...parts);

export const corpusLines = (...parts: string[]): string[] =>
  readFileSync(corpusPath(...parts), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

/** actions.jsonl of web01: each action with its true UTC time. */
export function web01Actions(): { utc: string; action: string }[] {
  return corpusLines('web01', 'actions.jsonl').map((l) => JSON.parse(l) as { utc: string; action: string });
}
