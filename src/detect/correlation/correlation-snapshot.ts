import type { CorrelationEntry } from './correlation-state';

/** A window entry as persisted: what a correlation decides on. */
export type SnapshotEntry = CorrelationEntry;

/**
 * One host's correlation windows as a JSON document (version 1): [window key, entries] pairs, least
 * recently used window first and each window oldest entry first, so restoring them in order rebuilds the
 * same state. The window key is the correlation id and the encoded group-by values (see
 * `InMemoryCorrelationState`). Entries keep their time, rule, counted value and occurrence count, not their events: a
 * correlation alert counts its related events and copies none, and whole events would make a busy host's
 * snapshot megabytes, written after every chunk.
 */
export interface CorrelationSnapshot {
  readonly v: 1;
  readonly host: string;
  readonly windows: readonly (readonly [string, readonly SnapshotEntry[]])[];
}

export class CorrelationSnapshotError extends Error {}

/** A parsed snapshot: its windows' entries ready to go back into a state. */
export interface RestoredWindows {
  readonly host: string;
  readonly windows: readonly (readonly [string, CorrelationEntry[]])[];
}

/** Parses and checks a snapshot document; every problem names where it is. */
export function parseCorrelationSnapshot(json: string): RestoredWindows {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new CorrelationSnapshotError(`correlation snapshot is not JSON: ${(err as Error).message}`);
  }
  const root = object(doc, 'snapshot');
  if (root['v'] !== 1) fail(`correlation snapshot version ${String(root['v'])} is not 1`);
  const host = root['host'];
  if (typeof host !== 'string') fail('host must be a string');
  const windows = root['windows'];
  if (!Array.isArray(windows)) fail('windows must be an array of [key, entries] pairs');
  return {
    host,
    windows: windows.map((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string')
        fail(`windows[${i}] is not a [key, entries] pair`);
      const entries: unknown = pair[1];
      if (!Array.isArray(entries)) fail(`windows[${i}][1] must be an array`);
      return [pair[0], entries.map((e: unknown, j) => entry(e, `windows[${i}][1][${j}]`))] as const;
    }),
  };
}

function entry(value: unknown, where: string): CorrelationEntry {
  const o = object(value, where);
  const { time, rule, value: counted, count } = o;
  if (typeof time !== 'number' || !Number.isFinite(time)) fail(`${where}.time must be epoch milliseconds`);
  if (typeof rule !== 'number' || !Number.isInteger(rule) || rule < 0)
    fail(`${where}.rule must be a rule index`);
  if (counted !== undefined && typeof counted !== 'string') fail(`${where}.value must be a string`);
  if (count !== undefined && (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1))
    fail(`${where}.count must be a positive integer`);
  return {
    time,
    rule,
    ...(counted !== undefined && { value: counted }),
    ...(count !== undefined && { count }),
  };
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function fail(message: string): never {
  throw new CorrelationSnapshotError(message);
}
