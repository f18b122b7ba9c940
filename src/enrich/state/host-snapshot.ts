import type { AccountRecord, FileRecord, ListenerRecord, ProcessRecord } from './host-state';

/**
 * One host's state as a JSON document (version 1). Entries are [key, record] pairs, least recently used
 * first, so restoring them in order rebuilds the same eviction order. Keys are data, never object keys:
 * a snapshot from a topic cannot pollute prototypes. `processes` came later and is optional, so the
 * snapshots written before it still restore (with no processes).
 */
export interface HostSnapshot {
  readonly v: 1;
  readonly host: string;
  readonly accounts: readonly (readonly [string, AccountRecord])[];
  readonly files: readonly (readonly [string, FileRecord])[];
  readonly listeners: readonly (readonly [string, ListenerRecord])[];
  readonly listenerBaseline?: string;
  readonly processes?: readonly (readonly [string, ProcessRecord])[];
}

export class SnapshotError extends Error {}

/** Parses and checks a snapshot document; every problem names where it is. */
export function parseHostSnapshot(json: string): HostSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SnapshotError(`host snapshot is not JSON: ${(err as Error).message}`);
  }
  const root = object(doc, 'snapshot');
  if (root['v'] !== 1) throw new SnapshotError(`host snapshot version ${String(root['v'])} is not 1`);
  return {
    v: 1,
    host: string(root['host'], 'host'),
    accounts: pairs(root['accounts'], 'accounts', accountRecord),
    files: pairs(root['files'], 'files', fileRecord),
    listeners: pairs(root['listeners'], 'listeners', listenerRecord),
    ...(root['listenerBaseline'] !== undefined && {
      listenerBaseline: string(root['listenerBaseline'], 'listenerBaseline'),
    }),
    ...(root['processes'] !== undefined && {
      processes: pairs(root['processes'], 'processes', processRecord),
    }),
  };
}

function pairs<T>(
  value: unknown,
  where: string,
  record: (v: unknown, where: string) => T,
): (readonly [string, T])[] {
  if (!Array.isArray(value)) throw new SnapshotError(`${where} must be an array of [key, record] pairs`);
  return value.map((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new SnapshotError(`${where}[${i}] is not a pair`);
    return [string(pair[0], `${where}[${i}][0]`), record(pair[1], `${where}[${i}][1]`)] as const;
  });
}

/**
 * Records in one key order, whatever order they were built in, so the same state always serializes to the
 * same text (snapshot → restore → snapshot is byte-identical; a compacted topic sees no spurious changes).
 */
export const canonicalAccount = (r: AccountRecord): AccountRecord => ({
  ...(r.uid !== undefined && { uid: r.uid }),
  ...(r.gid !== undefined && { gid: r.gid }),
  groups: [...r.groups],
});

export const canonicalFile = (r: FileRecord): FileRecord => ({
  ...(r.mode !== undefined && { mode: r.mode }),
  ...(r.setuid !== undefined && { setuid: r.setuid }),
  ...(r.setgid !== undefined && { setgid: r.setgid }),
  ...(r.mtime !== undefined && { mtime: r.mtime }),
});

export const canonicalListener = (r: ListenerRecord): ListenerRecord => ({
  firstSeen: r.firstSeen,
  lastSeen: r.lastSeen,
});

export const canonicalProcess = (r: ProcessRecord): ProcessRecord => ({
  ...(r.executable !== undefined && { executable: r.executable }),
  ...(r.commandLine !== undefined && { commandLine: r.commandLine }),
  ...(r.name !== undefined && { name: r.name }),
  ...(r.args !== undefined && { args: [...r.args] }),
  ...(r.start !== undefined && { start: r.start }),
});

function accountRecord(value: unknown, where: string): AccountRecord {
  const o = object(value, where);
  const groups = o['groups'];
  if (!Array.isArray(groups)) throw new SnapshotError(`${where}.groups must be an array`);
  return canonicalAccount({
    groups: groups.map((g: unknown, i) => string(g, `${where}.groups[${i}]`)),
    ...optional(o, 'uid', where),
    ...optional(o, 'gid', where),
  });
}

function fileRecord(value: unknown, where: string): FileRecord {
  const o = object(value, where);
  return canonicalFile({
    ...optional(o, 'mode', where),
    ...optional(o, 'mtime', where),
    ...flag(o, 'setuid', where),
    ...flag(o, 'setgid', where),
  });
}

function listenerRecord(value: unknown, where: string): ListenerRecord {
  const o = object(value, where);
  return canonicalListener({
    firstSeen: string(o['firstSeen'], `${where}.firstSeen`),
    lastSeen: string(o['lastSeen'], `${where}.lastSeen`),
  });
}

function processRecord(value: unknown, where: string): ProcessRecord {
  const o = object(value, where);
  const args = o['args'];
  if (args !== undefined && !Array.isArray(args)) throw new SnapshotError(`${where}.args must be an array`);
  return canonicalProcess({
    ...optional(o, 'executable', where),
    ...optional(o, 'commandLine', where),
    ...optional(o, 'name', where),
    ...optional(o, 'start', where),
    ...(args !== undefined && { args: args.map((a: unknown, i) => string(a, `${where}.args[${i}]`)) }),
  });
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SnapshotError(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new SnapshotError(`${where} must be a string`);
  return value;
}

function optional(o: Record<string, unknown>, key: string, where: string): Record<string, string> {
  return o[key] === undefined ? {} : { [key]: string(o[key], `${where}.${key}`) };
}

function flag(o: Record<string, unknown>, key: string, where: string): Record<string, boolean> {
  const v = o[key];
  if (v === undefined) return {};
  if (typeof v !== 'boolean') throw new SnapshotError(`${where}.${key} must be true or false`);
  return { [key]: v };
}
