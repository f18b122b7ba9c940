import { iam, optional, type AuthFacts, type MessageRule } from './facts';

/**
 * The account acted upon goes to `user.target.*`; where the log does not name who acted, `user.name`/`user.id`
 * name that account too, so alerts carry it as their subject.
 */
export const account = (name: string, id?: string): AuthFacts => ({
  'user.target.name': name,
  'user.name': name,
  ...(id !== undefined ? { 'user.target.id': id, 'user.id': id } : {}),
});

/** The shadow-utils 4.x messages beyond useradd/usermod/groupadd's core set: chfn, chsh, chage, gpasswd's admin
 * and password lines, groupmod, renames, vipw, newgrp, and the failures they log. */
export const MORE_RULES: readonly MessageRule[] = [
  {
    pattern: /^change user name '([^']+)' to '([^']+)'$/,
    facts: ([, from, to]) => ({
      ...iam('user-name-changed', ['user', 'change']),
      ...account(to!),
      'tuxwatch.user.changed': 'name',
      'tuxwatch.user.previous.value': from!,
      'tuxwatch.user.value': to!,
    }),
  },
  {
    // usermod -l carries the new name into every group that listed the old one
    pattern: /^change '([^']+)' to '([^']+)' in (shadow )?group '([^']+)'$/,
    facts: ([, from, to, shadow, group]) => ({
      ...iam(shadow ? 'group-member-renamed-shadow' : 'group-member-renamed', ['group', 'change']),
      ...account(to!),
      'tuxwatch.user.previous.value': from!,
      'group.name': group!,
    }),
  },
  {
    pattern: /^change user '([^']+)' password$/,
    facts: ([, name]) => ({ ...iam('password-changed', ['user', 'change']), ...account(name!) }),
  },
  {
    pattern: /^changed user '([^']+)' shell to '([^']*)'$/,
    facts: ([, name, shell]) => ({
      ...iam('user-shell-changed', ['user', 'change']),
      ...account(name!),
      'tuxwatch.user.changed': 'shell',
      'tuxwatch.user.value': shell!,
    }),
  },
  {
    pattern: /^changed user '([^']+)' information$/,
    facts: ([, name]) => ({ ...iam('user-information-changed', ['user', 'change']), ...account(name!) }),
  },
  {
    pattern: /^changed password expiry for (\S+)$/,
    facts: ([, name]) => ({ ...iam('user-password-expiry-changed', ['user', 'change']), ...account(name!) }),
  },
  {
    pattern: /^password locked for '([^']+)'$/,
    facts: ([, name]) => ({ ...iam('user-password-locked', ['user', 'change']), ...account(name!) }),
  },
  {
    // groupmod: `group changed in /etc/group (group ops/1006, new gid: 1600)`, `(group ops, new name: operators)`
    pattern: /^group changed in (\S+) \(group ([^/,\s]+)(?:\/(\d+))?, new (gid|name): (\S+)\)$/,
    facts: ([, file, group, gid, what, value]) =>
      what === 'gid'
        ? {
            ...iam('group-gid-changed', ['group', 'change']),
            'group.name': group!,
            'group.id': value!,
            'file.path': file!,
            ...optional({ 'tuxwatch.group.previous.id': gid }),
          }
        : {
            ...iam('group-renamed', ['group', 'change']),
            'group.name': value!,
            'file.path': file!,
            'tuxwatch.group.previous.name': group!,
            ...optional({ 'group.id': gid }),
          },
  },
  {
    pattern: /^(administrators|members) of group (\S+) set by (\S+) to (.*?)(?: \(.*\))?$/s,
    facts: ([, role, group, by, who]) => ({
      ...iam(role === 'members' ? 'group-members-set' : 'group-administrators-set', ['group', 'change']),
      'group.name': group!,
      'user.name': by!,
      'tuxwatch.group.members': who!.split(',').filter((m) => m !== ''),
    }),
  },
  {
    pattern:
      /^(password of group (\S+) (changed|removed)|access to group (\S+) restricted) by (\S+?)(?: \(.*\))?$/,
    facts: ([, , pwGroup, op, restrictedGroup, by]) => ({
      ...iam(
        op === 'changed'
          ? 'group-password-changed'
          : op === 'removed'
            ? 'group-password-removed'
            : 'group-restricted',
        ['group', 'change'],
      ),
      'group.name': (pwGroup ?? restrictedGroup)!,
      'user.name': by!,
    }),
  },
  {
    pattern: /^(\S+) failed to (.*)$/s,
    facts: ([, by, what]) => ({
      ...iam('group-change-failed', ['group', 'change'], 'failure'),
      'user.name': by!,
      'event.reason': what!,
    }),
  },
  {
    pattern: /^failed adding user '([^']+)', (.*)$/,
    facts: ([, name, why]) => ({
      ...iam('user-creation-failed', ['user', 'creation'], 'failure'),
      ...account(name!),
      'event.reason': why!,
    }),
  },
  {
    // vipw/vigr 4.x name the scratch copy (`/etc/passwd.edit`) that was installed over the file
    pattern: /^file (\S+?)(?:\.edit)? edited$/,
    facts: ([, path]) => ({ ...iam('account-file-edited', ['user', 'change']), 'file.path': path! }),
  },
  {
    // newgrp / sg
    pattern: /^user '([^']+)' \(login '([^']*)' on (\S+)\) (switched|returned) to group '([^']+)'$/,
    facts: ([, user, login, tty, how, group]) => ({
      ...iam(how === 'switched' ? 'group-switched' : 'group-returned', ['group', 'change']),
      'user.name': user!,
      // `???`: newgrp found no login name (no utmp entry) or no terminal
      ...optional({
        'user.effective.name': login === '???' ? undefined : login,
        'process.tty.name': tty === '???' ? undefined : tty,
      }),
      'group.name': group!,
    }),
  },
];
