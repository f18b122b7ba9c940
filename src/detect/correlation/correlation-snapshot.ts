import type { FieldValue, SiemEvent } from '../../domain/event';
import type { CorrelationEntry } from './correlation-state';

/**
 * One host's correlation windows as a JSON document (version 1): [window key, entries] pairs, least
 * recently used window first and each window oldest entry first, so restoring them in order rebuilds the
 * same state. The window key is the correlation id and the encoded group-by values (see
 * `InMemoryCorrelationState`). Events are kept whole: a correlation alert carries its related events.
 */
export interface CorrelationSnapshot {
  readonly v: 1;
  readonly host: string;
  readonly windows: readonly (readonly [string, readonly CorrelationEntry[]])[];
}

export class CorrelationSnapshotError extends Error {}

/** Parses and checks a snapshot document; every problem names where it is. */
export function parseCorrelationSnapshot(json: string): CorrelationSnapshot {
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
    v: 1,
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
  const { time, rule, value: counted } = o;
  if (typeof time !== 'number' || !Number.isFinite(time)) fail(`${where}.time must be epoch milliseconds`);
  if (typeof rule !== 'number' || !Number.isInteger(rule) || rule < 0)
    fail(`${where}.rule must be a rule index`);
  if (counted !== undefined && typeof counted !== 'string') fail(`${where}.value must be a string`);
  return {
    time,
    rule,
    event: event(o['event'], `${where}.event`),
    ...(counted !== undefined && { value: counted }),
  };
}

/** An event from a topic is data: only scalar, null or scalar-array fields, in an object with no prototype. */
function event(value: unknown, where: string): SiemEvent {
  const o = object(value, where);
  const out = Object.create(null) as Record<string, FieldValue>;
  for (const [field, v] of Object.entries(o)) {
    if (!isFieldValue(v)) fail(`${where}["${field}"] is not a field value`);
    out[field] = v;
  }
  if (typeof out['@timestamp'] !== 'string' || typeof out['event.original'] !== 'string')
    fail(`${where} needs @timestamp and event.original strings`);
  return out as unknown as SiemEvent;
}

const isScalar = (v: unknown): boolean =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const isFieldValue = (v: unknown): v is FieldValue =>
  v === null || isScalar(v) || (Array.isArray(v) && v.every(isScalar));

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function fail(message: string): never {
  throw new CorrelationSnapshotError(message);
}
