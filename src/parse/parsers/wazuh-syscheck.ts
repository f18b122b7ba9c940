import type { JsonObject } from '../json-record';
import { integer, text } from './event-base';
import { parseFileMode } from './file-mode';
import type { FileState, HashName } from './fim-event';

/** Wazuh changed_attributes names -> tuxwatch.file.changed names. */
const CHANGED_NAMES: Readonly<Record<string, string>> = {
  size: 'size',
  permission: 'mode',
  uid: 'uid',
  gid: 'gid',
  user_name: 'owner',
  group_name: 'group',
  mtime: 'mtime',
  inode: 'inode',
  md5: 'content',
  sha1: 'content',
  sha256: 'content',
  attributes: 'attributes',
};

const HASHES: readonly HashName[] = ['md5', 'sha1', 'sha256'];

/** One side (`_before`/`_after`) of a syscheck object. perm is `rw-r--r--` or octal (`100644`). */
export function wazuhFileState(
  syscheck: JsonObject,
  side: 'before' | 'after',
  readTime: (v: unknown) => string | undefined,
): FileState | undefined {
  const get = (name: string): unknown => syscheck[`${name}_${side}`];
  const state: FileState = {};
  const perm = text(get('perm'));
  if (perm !== undefined) state.mode = parseFileMode(perm);
  state.uid = text(get('uid'));
  state.gid = text(get('gid'));
  state.owner = text(get('uname'));
  state.group = text(get('gname'));
  state.size = integer(get('size'));
  state.inode = text(get('inode'));
  state.mtime = readTime(get('mtime'));
  const hashes: FileState['hashes'] = {};
  for (const name of HASHES) {
    const digest = text(get(name));
    if (digest !== undefined && /^[0-9a-fA-F]+$/.test(digest)) hashes[name] = digest.toLowerCase();
  }
  if (Object.keys(hashes).length > 0) state.hashes = hashes;
  return Object.values(state).some((v) => v !== undefined) ? state : undefined;
}

/** changed_attributes when Wazuh lists them (4.x), else what differs between before and after. */
export function wazuhChanged(syscheck: JsonObject, after?: FileState, before?: FileState): string[] {
  const listed = syscheck['changed_attributes'];
  if (Array.isArray(listed)) {
    return [...new Set(listed.flatMap((a) => (typeof a === 'string' ? [CHANGED_NAMES[a] ?? a] : [])))];
  }
  if (!after || !before) return [];
  const out: string[] = [];
  const differs = (a: unknown, b: unknown): boolean => a !== undefined && b !== undefined && a !== b;
  if (differs(after.size, before.size)) out.push('size');
  if (differs(after.mode?.mode, before.mode?.mode)) out.push('mode');
  if (differs(after.uid, before.uid)) out.push('uid');
  if (differs(after.gid, before.gid)) out.push('gid');
  if (differs(after.inode, before.inode)) out.push('inode');
  if (differs(after.mtime, before.mtime)) out.push('mtime');
  if (HASHES.some((h) => differs(after.hashes?.[h], before.hashes?.[h]))) out.push('content');
  return out;
}
