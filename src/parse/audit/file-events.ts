import type { MutableEvent } from '../../domain/event';
import { addFileChange, type FileChange, type FileState, type FimAction } from '../parsers/fim-event';
import { octalMode, type FileMode } from '../parsers/file-mode';
import type { AuditRecord } from './audit-line';
import { meaningful, value, type AuditEventView } from './audit-view';

type Operation = 'open' | 'create' | 'write' | 'delete' | 'rename' | 'chmod' | 'chown' | 'times' | 'xattr';

/** What each file syscall does, and where its mode/owner/flags/times argument sits (aN). */
const SYSCALLS: Readonly<Record<string, { op: Operation; arg?: number; arg2?: number }>> = {
  open: { op: 'open', arg: 1 },
  openat: { op: 'open', arg: 2 },
  openat2: { op: 'open' },
  creat: { op: 'create' },
  truncate: { op: 'write' },
  truncate64: { op: 'write' },
  rename: { op: 'rename' },
  renameat: { op: 'rename' },
  renameat2: { op: 'rename' },
  unlink: { op: 'delete' },
  unlinkat: { op: 'delete' },
  rmdir: { op: 'delete' },
  mkdir: { op: 'create' },
  mkdirat: { op: 'create' },
  mknod: { op: 'create' },
  mknodat: { op: 'create' },
  link: { op: 'create' },
  linkat: { op: 'create' },
  symlink: { op: 'create' },
  symlinkat: { op: 'create' },
  chmod: { op: 'chmod', arg: 1 },
  fchmod: { op: 'chmod', arg: 1 },
  fchmodat: { op: 'chmod', arg: 2 },
  fchmodat2: { op: 'chmod', arg: 2 },
  chown: { op: 'chown', arg: 1, arg2: 2 },
  lchown: { op: 'chown', arg: 1, arg2: 2 },
  fchown: { op: 'chown', arg: 1, arg2: 2 },
  chown32: { op: 'chown', arg: 1, arg2: 2 },
  lchown32: { op: 'chown', arg: 1, arg2: 2 },
  fchown32: { op: 'chown', arg: 1, arg2: 2 },
  fchownat: { op: 'chown', arg: 2, arg2: 3 },
  utime: { op: 'times', arg: 1 },
  utimes: { op: 'times', arg: 1 },
  futimesat: { op: 'times', arg: 2 },
  utimensat: { op: 'times', arg: 2 },
  utimensat_time64: { op: 'times', arg: 2 },
  setxattr: { op: 'xattr' },
  lsetxattr: { op: 'xattr' },
  fsetxattr: { op: 'xattr' },
  removexattr: { op: 'xattr' },
  lremovexattr: { op: 'xattr' },
  fremovexattr: { op: 'xattr' },
};

const O_ACCMODE = 0o3;
const O_TRUNC = 0o1000;
/** chown's "leave unchanged", (uid_t)-1 as the kernel prints the argument */
const UNCHANGED = 0xffffffff;

/** What the caller knows about the times a utimensat set (from the process's `touch` command). */
export interface TimesSet {
  /** epoch ms of the new mtime, when known */
  readonly mtime?: number;
  /** the times were copied from another file (`touch -r`): not "now", value unknown */
  readonly copied?: boolean;
  /**
   * the files the command names, absolute: `touch` sets times through the descriptor it opened
   * (`utimensat(fd, NULL, …)`), so the event itself has no PATH record to name the file
   */
  readonly paths?: readonly string[];
}

/**
 * File changes of a successful file syscall, one per object its PATH records name (parents left out):
 * created (`nametype=CREATE`), deleted (`DELETE`), moved (a rename's new name), updated (an open for
 * writing, a truncate), attributes_modified (the chmod, chown, utime and xattr families). The PATH
 * record shows the inode as the lookup found it — before a chmod or chown — so the syscall's own argument
 * gives the new mode or owner and the PATH's the previous one (`tuxwatch.file.previous.*`). Relative
 * names are resolved against the CWD record.
 */
export function fileEvents(
  view: AuditEventView,
  newEvent: () => MutableEvent,
  times: () => TimesSet | undefined,
): MutableEvent[] {
  const name = view.syscallName;
  const spec = name !== undefined ? SYSCALLS[name] : undefined;
  if (spec === undefined || view.succeeded !== true) return [];
  const changes: FileChange[] = [];
  for (const path of view.all('PATH')) {
    // kernels before 3.16 wrote the same field as objtype=
    const nametype = value(path, 'nametype') ?? value(path, 'objtype');
    if (nametype === 'PARENT') continue;
    const change = changeOf(view, spec, path, nametype, times);
    if (change !== undefined) changes.push(change);
  }
  if (spec.op === 'times' && changes.length === 0 && view.argument(1) === 0) {
    for (const file of times()?.paths ?? []) {
      const change = timesChange(view, { path: file }, {}, spec, times);
      if (change !== undefined) changes.push(change);
    }
  }
  return changes.map((change) => {
    const event = addFileChange(Object.assign(newEvent(), view.subject()), change);
    if (spec.op === 'times' && change.current?.mtime === undefined && times()?.copied === true)
      event['tuxwatch.file.timestomped'] = true;
    return event;
  });
}

function timesChange(
  view: AuditEventView,
  base: { path: string },
  found: FileState,
  spec: { arg?: number },
  times: () => TimesSet | undefined,
): FileChange {
  // a null times pointer means "now": an ordinary touch
  const pointer = spec.arg !== undefined ? view.argument(spec.arg) : undefined;
  if (pointer === 0)
    return { ...base, action: 'attributes_modified', current: found, changed: ['mtime', 'atime'] };
  const set = times();
  return {
    ...base,
    action: 'attributes_modified',
    current: {
      ...found,
      ctime: new Date(view.time).toISOString(),
      ...(set?.mtime !== undefined && { mtime: new Date(set.mtime).toISOString() }),
    },
    changed: ['mtime', 'atime'],
  };
}

function changeOf(
  view: AuditEventView,
  spec: { op: Operation; arg?: number; arg2?: number },
  path: AuditRecord,
  nametype: string | undefined,
  times: () => TimesSet | undefined,
): FileChange | undefined {
  const file = resolve(meaningful(value(path, 'name')), view.cwd);
  if (file === undefined) return undefined;
  const found = state(path);
  const type = found.mode?.type;
  const base = { path: file, ...(type !== undefined && { type }) };
  if (nametype === 'CREATE') {
    const action: FimAction = spec.op === 'rename' ? 'moved' : 'created';
    return { ...base, action, current: found };
  }
  if (nametype === 'DELETE') return { ...base, action: 'deleted', previous: found };
  switch (spec.op) {
    case 'open': {
      const flags = spec.arg !== undefined ? view.argument(spec.arg) : undefined;
      if (flags === undefined || ((flags & O_ACCMODE) === 0 && (flags & O_TRUNC) === 0)) return undefined;
      return { ...base, action: 'updated', current: found, changed: ['content'] };
    }
    case 'write':
      return { ...base, action: 'updated', current: found, changed: ['content', 'size'] };
    case 'chmod': {
      const requested = spec.arg !== undefined ? view.argument(spec.arg) : undefined;
      const mode = requested !== undefined ? withMode(requested, found.mode) : undefined;
      return {
        ...base,
        action: 'attributes_modified',
        current: { ...found, ...(mode !== undefined && { mode }) },
        previous: found.mode !== undefined ? { mode: found.mode } : undefined,
        changed: ['mode'],
      };
    }
    case 'chown': {
      const uid = owner(view, spec.arg);
      const gid = owner(view, spec.arg2);
      return {
        ...base,
        action: 'attributes_modified',
        current: { ...found, ...(uid !== undefined && { uid }), ...(gid !== undefined && { gid }) },
        previous: {
          ...(found.uid !== undefined && { uid: found.uid }),
          ...(found.gid !== undefined && { gid: found.gid }),
        },
        changed: [...(uid !== undefined ? ['uid'] : []), ...(gid !== undefined ? ['gid'] : [])],
      };
    }
    case 'times':
      return timesChange(view, base, found, spec, times);
    case 'xattr':
      return { ...base, action: 'attributes_modified', current: found, changed: ['xattr'] };
    default:
      return undefined;
  }
}

/** What the PATH record says about the inode: mode (with type), owner, inode number. */
function state(path: AuditRecord): FileState {
  const mode = octalMode(value(path, 'mode') ?? '');
  const uid = value(path, 'ouid');
  const gid = value(path, 'ogid');
  const inode = value(path, 'inode');
  return {
    ...(mode !== undefined && { mode }),
    ...(uid !== undefined && /^\d+$/.test(uid) && { uid }),
    ...(gid !== undefined && /^\d+$/.test(gid) && { gid }),
    ...(inode !== undefined && /^\d+$/.test(inode) && { inode }),
  };
}

/** The requested permission bits, with the file type the lookup saw. */
function withMode(requested: number, found: FileMode | undefined): FileMode | undefined {
  const text = (requested & 0o7777).toString(8).padStart(4, '0');
  const mode = octalMode(text);
  return mode && found?.type !== undefined ? { ...mode, type: found.type } : mode;
}

function owner(view: AuditEventView, arg: number | undefined): string | undefined {
  const v = arg !== undefined ? view.argument(arg) : undefined;
  return v === undefined || v === UNCHANGED || v > UNCHANGED ? undefined : String(v);
}

/** An absolute, lexically normalised path (`/home/x/../y/./z` → `/home/y/z`); names stay byte-exact. */
export function resolve(name: string | undefined, cwd: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const joined = name.startsWith('/') ? name : cwd !== undefined ? `${cwd}/${name}` : undefined;
  if (joined === undefined) return undefined;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
