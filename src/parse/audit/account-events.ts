import type { FieldValue, MutableEvent } from '../../domain/event';
import { iam, type AuthFacts } from '../auth/facts';
import { basename } from '../parsers/event-base';
import type { AuditRecord } from './audit-line';
import { meaningful, setId, value } from './audit-view';
import { commandAccount, groupList, option, type Command } from './commands';

/** User-space record types of account management (libaudit's audit_log_acct_message callers). */
export const ACCOUNT_TYPES = new Set([
  'ADD_USER',
  'DEL_USER',
  'ADD_GROUP',
  'DEL_GROUP',
  'USER_MGMT',
  'GRP_MGMT',
  'USER_CHAUTHTOK',
  'GRP_CHAUTHTOK',
  'USER_ACCT',
]);

/** What the record says, with the command line of its process when that was seen. */
interface Said {
  readonly op: string;
  readonly acct?: string;
  readonly id?: string;
  readonly grp?: string;
  readonly command?: Command;
}

type Reading = (said: Said) => AuthFacts | undefined;

const target = (name: string | undefined, id?: string): AuthFacts => ({
  ...(name !== undefined && { 'user.target.name': name, 'user.name': name }),
  ...(id !== undefined && { 'user.target.id': id, 'user.id': id }),
});

/** The account the command acts on: usermod's new name (-l) when it renames, else its last operand. */
const account = (s: Said): string | undefined =>
  s.acct ?? (s.command ? (option(s.command, '-l', '--login') ?? commandAccount(s.command)) : undefined);

function groups(s: Said): FieldValue | undefined {
  if (s.grp !== undefined) return s.grp;
  const list = s.command ? groupList(option(s.command, '-G', '--groups')) : [];
  return list.length === 0 ? undefined : list.length === 1 ? list[0]! : list;
}

const primaryGroup = (s: Said): AuthFacts => {
  const g = s.command ? option(s.command, '-g', '--gid') : undefined;
  if (g === undefined) return {};
  return /^\d+$/.test(g) ? { 'group.id': g } : { 'group.name': g };
};

const member = (action: string, s: Said): AuthFacts | undefined => {
  const group = groups(s);
  return group === undefined
    ? undefined
    : { ...iam(action, ['user', 'group', 'change']), ...target(account(s)), 'group.name': group };
};

/**
 * shadow-utils' audit messages, in both vocabularies: 4.13 and earlier ("adding user", "adding user to
 * group", gpasswd's "user X added by Y to group G"), and 4.14+ ("add-user", "add-user-to-group grp=…").
 * The actions are those of the auth-log parser (src/parse/auth/shadow-utils.ts), so a change seen in
 * auth.log and in audit.log is one finding.
 */
const OPS: ReadonlyArray<readonly [RegExp, Reading]> = [
  [
    /^(?:adding user|add-user)$/,
    (s) => ({
      ...iam('user-created', ['user', 'creation']),
      ...target(account(s), s.id ?? (s.command ? option(s.command, '-u', '--uid') : undefined)),
      ...primaryGroup(s),
    }),
  ],
  [
    /^(?:adding user to group|add-user-to-group|add-users-to-group)$/,
    (s) => member('user-added-to-group', s),
  ],
  [
    /^(?:adding user to shadow group|add-to-shadow-group|add-user-to-shadow-group)$/,
    (s) => member('user-added-to-shadow-group', s),
  ],
  [
    /^(?:delete-user-from-group|deleting-user-from-group|removing group member)$/,
    (s) => member('user-removed-from-group', s),
  ],
  [
    /^(?:changing uid|changing-uid)$/,
    (s) => ({ ...iam('user-uid-changed', ['user', 'change']), ...target(account(s), s.id) }),
  ],
  [
    /^(?:changing primary group|changing-primary-group)$/,
    (s) => {
      const g = s.command ? option(s.command, '-g', '--gid') : undefined;
      return {
        ...iam('user-gid-changed', ['user', 'change']),
        ...target(account(s)),
        ...(g !== undefined && { 'tuxwatch.user.value': g }),
      };
    },
  ],
  [
    /^(?:changing name|changing-name)$/,
    (s) => ({ ...iam('user-name-changed', ['user', 'change']), ...target(account(s)) }),
  ],
  [
    /^(?:deleting user|delete-user)$/,
    (s) => ({ ...iam('user-deleted', ['user', 'deletion']), ...target(account(s), s.id) }),
  ],
  [
    /^(?:adding group|add-group|adding group to \/etc\/group)$/,
    (s) => group('group-created', ['group', 'creation'], s),
  ],
  [/^adding group to \/etc\/gshadow$/, (s) => group('group-created-shadow', ['group', 'creation'], s)],
  [/^(?:deleting group|delete-group)$/, (s) => group('group-deleted', ['group', 'deletion'], s)],
  [
    /^(?:PAM:chauthtok|changing password|updating password|updating-password|changing-password)$/,
    (s) => ({ ...iam('password-changed', ['user', 'change']), ...target(account(s)) }),
  ],
];

const GPASSWD = /^user (\S+) (added|removed) by (\S+) (?:to|from) group (\S+?)( in (\S+))?$/;
const GPASSWD_MEMBERS = /^members of group (\S+) set by (\S+) to (\S*?)( in (\S+))?$/;

/** gpasswd 4.13 writes the whole change into `op` and the group into `acct`. */
function gpasswdFacts(op: string): AuthFacts | undefined {
  const m = GPASSWD.exec(op);
  if (m) {
    const [, user, how, by, group, , file] = m;
    const shadow = file === '/etc/gshadow' ? 'shadow-' : '';
    const action = how === 'added' ? `user-added-to-${shadow}group` : `user-removed-from-${shadow}group`;
    return {
      ...iam(action, ['user', 'group', 'change']),
      ...target(user),
      'user.effective.name': by!,
      'group.name': group!,
    };
  }
  const members = GPASSWD_MEMBERS.exec(op);
  if (members && members[5] !== '/etc/gshadow') {
    const [, group, by, list] = members;
    const names = list!.split(',').filter((n) => n !== '');
    if (names.length === 0) return undefined;
    return {
      ...iam('user-added-to-group', ['user', 'group', 'change']),
      'user.target.name': names.length === 1 ? names[0]! : names,
      'user.name': names.length === 1 ? names[0]! : names,
      'user.effective.name': by!,
      'group.name': group!,
    };
  }
  return undefined;
}

function group(action: string, type: string[], s: Said): AuthFacts {
  const name = s.acct ?? s.grp ?? (s.command ? commandAccount(s.command) : undefined);
  return {
    ...iam(action, type),
    ...(name !== undefined && { 'group.name': name }),
    ...(s.id !== undefined && { 'group.id': s.id }),
  };
}

/**
 * The account change a successful account record reports (ECS iam, the auth-log parser's actions), or
 * undefined. `command` is its process's command line (the exec of the same pid), which names the account
 * when the record gives only its number (`op=adding user id=0`) and the groups of `-G`. The alert entity
 * fields match the auth-log's for the same change (`user.name`/`user.target.*`, `group.*`,
 * `process.name`); the program's path stays in the record (`exe`), not in `process.executable`.
 */
export function accountEvent(
  record: AuditRecord,
  base: MutableEvent,
  command: Command | undefined,
): MutableEvent | undefined {
  const res = value(record, 'res');
  if (res !== 'success' && res !== '1' && res !== 'yes') return undefined;
  const op = (value(record, 'op') ?? '').trim();
  if (op === '') return undefined;
  const said: Said = {
    op,
    ...(!GPASSWD.test(op) &&
      meaningful(value(record, 'acct')) !== undefined && { acct: value(record, 'acct') }),
    ...(idOf(record) !== undefined && { id: idOf(record) }),
    ...(meaningful(value(record, 'grp')) !== undefined && { grp: value(record, 'grp') }),
    ...(command !== undefined && { command }),
  };
  let facts = gpasswdFacts(op);
  if (facts === undefined) {
    for (const [pattern, read] of OPS) {
      if (pattern.test(op)) {
        facts = read(said);
        break;
      }
    }
  }
  if (facts === undefined) return undefined;
  Object.assign(base, facts, actor(record));
  return base;
}

function idOf(record: AuditRecord): string | undefined {
  const id = value(record, 'id');
  return id !== undefined && /^\d{1,10}$/.test(id) && id !== '4294967295' ? id : undefined;
}

/** The process that wrote a user-space record, and its login. */
export function actor(record: AuditRecord): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const pid = value(record, 'pid');
  if (pid !== undefined && /^\d{1,10}$/.test(pid)) out['process.pid'] = Number(pid);
  const exe = meaningful(value(record, 'exe'));
  if (exe !== undefined) out['process.name'] = basename(exe);
  const auid = setId(value(record, 'auid'));
  if (auid !== undefined) out['user.audit.id'] = auid;
  const ses = setId(value(record, 'ses'));
  if (ses !== undefined) out['auditd.session'] = ses;
  return out;
}
