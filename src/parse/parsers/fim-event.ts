import type { MutableEvent, Scalar } from '../../domain/event';
import { pathFields } from './event-base';
import type { FileMode, FileType } from './file-mode';

/** event.action in Auditbeat's vocabulary (docs/events.md, file integrity). */
export type FimAction = 'created' | 'updated' | 'attributes_modified' | 'deleted' | 'moved' | 'accessed';

const TYPE_OF: Readonly<Record<FimAction, string>> = {
  created: 'creation',
  updated: 'change',
  attributes_modified: 'change',
  moved: 'change',
  deleted: 'deletion',
  accessed: 'access',
};

export type HashName = 'md5' | 'sha1' | 'sha256' | 'sha512';

/** What a tool says about one side (before or after) of a file change. */
export interface FileState {
  mode?: FileMode;
  uid?: string;
  gid?: string;
  owner?: string;
  group?: string;
  size?: number;
  inode?: string;
  /** UTC ISO */
  mtime?: string;
  ctime?: string;
  hashes?: Partial<Record<HashName, string>>;
  /** symlink target */
  target?: string;
}

export interface FileChange {
  readonly path: string;
  readonly action: FimAction;
  readonly type?: FileType;
  /** the file as it is now (for a deletion: absent, or what the tool last saw) */
  readonly current?: FileState;
  /** the file as it was, under tuxwatch.file.previous.* */
  readonly previous?: FileState;
  /** changed attribute names: content, mode, uid, gid, mtime, ctime, inode, size, ... */
  readonly changed?: readonly string[];
}

/** Adds the file-integrity fields of docs/events.md to a base event. */
export function addFileChange(event: MutableEvent, change: FileChange): MutableEvent {
  Object.assign(event, pathFields(change.path));
  event['event.category'] = ['file'];
  event['event.type'] = [TYPE_OF[change.action]];
  event['event.action'] = [change.action];
  const type = change.type ?? change.current?.mode?.type ?? change.previous?.mode?.type;
  if (type !== undefined) event['file.type'] = type;
  if (change.current) Object.assign(event, stateFields(change.current, 'file'));
  if (change.previous) Object.assign(event, stateFields(change.previous, 'tuxwatch.file.previous'));
  if (change.changed && change.changed.length > 0)
    event['tuxwatch.file.changed'] = [...new Set(change.changed)];
  return change.action === 'deleted' ? event : placeAtFileTime(event, change.current);
}

/**
 * A report (AIDE, a scheduled Wazuh scan) sees a change when it runs, which can be hours after the change.
 * The file's ctime is when its inode last changed — content, mode, owner, links — and, unlike the mtime
 * (`touch -d`), no user can set it; so the event is placed at the ctime, else the mtime, and the time it
 * was observed is kept in `event.created`. A file time in or after the observation's second (a time cut
 * to seconds, a clock set back, a file touched into the future) says nothing finer about when the change
 * happened: the observation time stays.
 */
function placeAtFileTime(event: MutableEvent, current: FileState | undefined): MutableEvent {
  const fileTime = current?.ctime ?? current?.mtime;
  if (fileTime === undefined) return event;
  const at = Date.parse(fileTime);
  const observed = typeof event['event.created'] === 'string' ? event['event.created'] : event['@timestamp'];
  // a file time of the observation's own second is that time cut to seconds: the observation is finer
  if (!(at < Math.floor(Date.parse(event['@timestamp']) / 1000) * 1000)) return event;
  event['event.created'] = observed;
  event['@timestamp'] = new Date(at).toISOString();
  return event;
}

function stateFields(state: FileState, prefix: string): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  const put = (name: string, value: Scalar | undefined): void => {
    if (value !== undefined) out[`${prefix}.${name}`] = value;
  };
  if (state.mode) {
    put('mode', state.mode.mode);
    put('setuid', state.mode.setuid);
    put('setgid', state.mode.setgid);
  }
  put('uid', state.uid);
  put('gid', state.gid);
  put('owner', state.owner);
  put('group', state.group);
  put('size', state.size);
  put('inode', state.inode);
  put('mtime', state.mtime);
  put('ctime', state.ctime);
  put('target_path', state.target);
  for (const [name, digest] of Object.entries(state.hashes ?? {})) put(`hash.${name}`, digest);
  return out;
}

/** Hashes that mean "the content changed" when they differ. */
export const CONTENT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'rmd160',
  'tiger',
  'crc32',
  'crc32b',
  'haval',
  'gost',
  'whirlpool',
  'stribog256',
  'stribog512',
  'content',
]);

/** `updated` when the content (a hash or the size) changed, else `attributes_modified`. */
export const changeAction = (changed: readonly string[]): FimAction =>
  changed.some((c) => c === 'content' || c === 'size') ? 'updated' : 'attributes_modified';
