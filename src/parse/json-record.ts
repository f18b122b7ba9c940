import type { FieldValue, Scalar } from '../domain/event';

/** Keys that would let a record reach Object.prototype if anything downstream merged it naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonObject = { readonly [key: string]: unknown };

export type JsonRecordOutcome = { ok: true; value: JsonObject } | { ok: false; reason: string };

/**
 * Parses one JSON record and refuses what a SIEM must not ingest silently: non-objects and
 * prototype-polluting keys anywhere in the tree (the reason names the path).
 */
export function parseJsonRecord(text: string): JsonRecordOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `malformed JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'JSON record is not an object' };
  }
  const bad = findForbiddenKey(value, '');
  if (bad !== undefined) return { ok: false, reason: `forbidden key "${bad}" in JSON record` };
  return { ok: true, value: value as JsonObject };
}

/**
 * The path of the first forbidden key, nested (`{"__proto__": …}`) or dotted (`"a.__proto__.x"`: flattened
 * keys are dotted paths, and `toNested` or any consumer that expands them would meet the part).
 */
function findForbiddenKey(node: unknown, path: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  for (const key of Object.keys(node)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key) || (key.includes('.') && key.split('.').some((k) => FORBIDDEN_KEYS.has(k))))
      return here;
    const found = findForbiddenKey((node as Record<string, unknown>)[key], here);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * True when `text` is, after leading white space, a JSON object (cheap sniff, no parse). Sniffing asks this
 * for every record, several times: the first character settles it unless it is white space (or not ASCII).
 */
export function looksLikeJsonObject(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first === OPEN_BRACE) return true;
  if (first > SPACE && first < DELETE) return false;
  return JSON_OBJECT_START.test(text);
}

const OPEN_BRACE = 0x7b;
const SPACE = 0x20;
const DELETE = 0x7f;
const JSON_OBJECT_START = /^\s*\{/;

/**
 * Flattens nested JSON into dotted ECS keys. Arrays of scalars stay arrays; arrays holding objects are
 * kept as their JSON text so nothing is lost.
 */
export function flattenJson(
  value: JsonObject,
  prefix = '',
  out: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[name] = v;
    } else if (Array.isArray(v)) {
      out[name] = v.every(isScalar) ? (v as Scalar[]) : JSON.stringify(v);
    } else if (typeof v === 'object') {
      flattenJson(v as JsonObject, name, out);
    }
  }
  return out;
}

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Reads a nested property by dotted path from parsed JSON, or undefined. */
export function getPath(value: JsonObject, path: string): unknown {
  let node: unknown = value;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
