import { timestampToUtc } from '../../normalize/time';
import type { JsonObject } from '../json-record';
import { integer, text } from './event-base';
import { CONTENT_ATTRIBUTES, type FileState, type HashName } from './fim-event';
import { symbolicMode } from './file-mode';

/** AIDE detail names -> the attribute names of tuxwatch.file.changed. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  size: 'size',
  perm: 'mode',
  uid: 'uid',
  gid: 'gid',
  modify_time: 'mtime',
  change_time: 'ctime',
  access_time: 'atime',
  inode: 'inode',
  link_count: 'link_count',
  linkname: 'target',
  acl: 'acl',
  xattrs: 'xattrs',
  selinux: 'selinux',
  e2fsattrs: 'e2fsattrs',
  capabilities: 'caps',
  bcount: 'blocks',
  ftype: 'type',
};

/** Digest lengths in bytes: AIDE writes them base64, ECS hashes are lowercase hex. */
const HASH_BYTES: Readonly<Record<HashName, number>> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

/** Attribute names whose old and new values differ, from the report's details of one entry. */
export function aideChangedAttributes(detail: JsonObject): string[] {
  const out: string[] = [];
  for (const [name, values] of Object.entries(detail)) {
    const v = values as { old?: unknown; new?: unknown } | null;
    if (typeof v !== 'object' || v === null || !('old' in v) || !('new' in v)) continue;
    if (JSON.stringify(v.old) === JSON.stringify(v.new)) continue;
    out.push(CONTENT_ATTRIBUTES.has(name) ? 'content' : (ATTRIBUTE_NAMES[name] ?? name));
  }
  return [...new Set(out)];
}

/**
 * Without details (report_level below added_removed_entries) the summary string still says what changed:
 * `f > p.. mci.H` - size at 1, perm/uid/gid at 3-5, mtime/ctime/inode/link count at 7-10, content at 11.
 */
export function aideSummaryChanges(summary: string): string[] {
  const positions: ReadonlyArray<readonly [number, string]> = [
    [3, 'mode'],
    [4, 'uid'],
    [5, 'gid'],
    [7, 'mtime'],
    [8, 'ctime'],
    [9, 'inode'],
    [10, 'link_count'],
    [11, 'content'],
  ];
  const out: string[] = [];
  const size = summary.charAt(1);
  if (size === '<' || size === '>' || size === '!') out.push('size');
  for (const [i, name] of positions) {
    const c = summary.charAt(i);
    if (c !== '' && c !== '.' && c !== ' ' && c !== '=') out.push(name);
  }
  return out;
}

/** One side (old or new) of an entry's details as a FileState; times converted to UTC. */
export function aideFileState(detail: JsonObject, side: 'old' | 'new', zone: string): FileState | undefined {
  const get = (name: string): unknown => {
    const v = detail[name];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[side] : undefined;
  };
  const state: FileState = {};
  const perm = text(get('perm'));
  if (perm !== undefined) state.mode = symbolicMode(perm);
  state.uid = text(get('uid'));
  state.gid = text(get('gid'));
  state.size = integer(get('size'));
  state.inode = text(get('inode'));
  state.mtime = time(get('modify_time'), zone);
  state.ctime = time(get('change_time'), zone);
  state.target = text(get('linkname'));
  const hashes: FileState['hashes'] = {};
  for (const name of Object.keys(HASH_BYTES) as HashName[]) {
    const digest = hex(get(name), HASH_BYTES[name]);
    if (digest !== undefined) hashes[name] = digest;
  }
  if (Object.keys(hashes).length > 0) state.hashes = hashes;
  const defined = Object.values(state).some((v) => v !== undefined);
  return defined ? state : undefined;
}

const time = (v: unknown, zone: string): string | undefined =>
  typeof v === 'string' ? timestampToUtc(v, zone) : undefined;

function hex(v: unknown, bytes: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (/^[0-9a-fA-F]+$/.test(v) && v.length === bytes * 2) return v.toLowerCase();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const raw = Buffer.from(v, 'base64');
  return raw.length === bytes ? raw.toString('hex') : undefined;
}
