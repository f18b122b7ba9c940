import { firstMatch, iam, type AuthFacts, type MessageRule } from './facts';
import { account, MORE_RULES } from './shadow-utils-more';

/**
 * shadow-utils messages (useradd, usermod, userdel, groupadd, groupmod, groupdel, gpasswd, passwd), in the
 * exact wording of their SYSLOG() calls. The account acted upon goes to `user.target.*`; where the log does
 * not name who acted, `user.name`/`user.id` name that account too, so alerts carry it as their subject.
 */

const RULES: readonly MessageRule[] = [
  {
    pattern: /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*)(?:, from=(.*))?$/,
    facts: ([, name, uid, gid, home, shell, from]) => ({
      ...iam('user-created', ['user', 'creation']),
      ...account(name!, uid),
      'group.id': gid!,
      'tuxwatch.user.home': home!,
      'tuxwatch.user.shell': shell!,
      ...(from && from !== 'none' ? { 'process.tty.name': from } : {}),
    }),
  },
  {
    pattern: /^change user '([^']+)' UID from '(\d+)' to '(\d+)'$/,
    facts: ([, name, from, to]) => ({
      ...iam('user-uid-changed', ['user', 'change']),
      ...account(name!, to),
      'tuxwatch.user.previous.id': from!,
    }),
  },
  {
    pattern:
      /^change user '([^']+)' (name|GID|home|shell|expiration|inactive(?: period)?) from '([^']*)' to '([^']*)'$/,
    facts: ([, name, what, from, to]) => ({
      ...iam(`user-${what!.replace(' period', '').toLowerCase()}-changed`, ['user', 'change']),
      ...account(name!),
      'tuxwatch.user.changed': what!,
      'tuxwatch.user.previous.value': from!,
      'tuxwatch.user.value': to!,
    }),
  },
  {
    pattern: /^add '([^']+)' to (shadow )?group '([^']+)'$/,
    facts: ([, name, shadow, group]) => ({
      ...iam(shadow ? 'user-added-to-shadow-group' : 'user-added-to-group', ['user', 'group', 'change']),
      ...account(name!),
      'group.name': group!,
    }),
  },
  {
    pattern: /^delete '([^']+)' from (shadow )?group '([^']+)'$/,
    facts: ([, name, shadow, group]) => ({
      ...iam(shadow ? 'user-removed-from-shadow-group' : 'user-removed-from-group', [
        'user',
        'group',
        'change',
      ]),
      ...account(name!),
      'group.name': group!,
    }),
  },
  {
    pattern: /^user (\S+) added by (\S+) to group (\S+)$/,
    facts: ([, name, by, group]) => ({
      ...iam('user-added-to-group', ['user', 'group', 'change']),
      'user.target.name': name!,
      'user.name': name!,
      'user.effective.name': by!,
      'group.name': group!,
    }),
  },
  {
    pattern: /^user (\S+) removed by (\S+) from group (\S+)$/,
    facts: ([, name, by, group]) => ({
      ...iam('user-removed-from-group', ['user', 'group', 'change']),
      'user.target.name': name!,
      'user.name': name!,
      'user.effective.name': by!,
      'group.name': group!,
    }),
  },
  {
    pattern: /^(?:new group|group added to \/etc\/group): name=([^,]+), GID=(\d+)$/,
    facts: ([, name, gid]) => ({
      ...iam('group-created', ['group', 'creation']),
      'group.name': name!,
      'group.id': gid!,
    }),
  },
  {
    pattern: /^group added to \/etc\/gshadow: name=(\S+)$/,
    facts: ([, name]) => ({ ...iam('group-created-shadow', ['group', 'creation']), 'group.name': name! }),
  },
  {
    pattern: /^change group '([^']+)' GID from '(\d+)' to '(\d+)'$/,
    facts: ([, name, from, to]) => ({
      ...iam('group-gid-changed', ['group', 'change']),
      'group.name': name!,
      'group.id': to!,
      'tuxwatch.group.previous.id': from!,
    }),
  },
  {
    pattern: /^change group '([^']+)' name to '([^']+)'$/,
    facts: ([, from, to]) => ({
      ...iam('group-renamed', ['group', 'change']),
      'group.name': to!,
      'tuxwatch.group.previous.name': from!,
    }),
  },
  {
    pattern: /^delete user '([^']+)'$/,
    facts: ([, name]) => ({ ...iam('user-deleted', ['user', 'deletion']), ...account(name!) }),
  },
  {
    pattern:
      /^(?:group '([^']+)' removed|removed (?:shadow )?group '([^']+)' owned by '[^']+')(?: from \/etc\/g?shadow| from \/etc\/group)?$/,
    facts: ([, a, b]) => ({ ...iam('group-deleted', ['group', 'deletion']), 'group.name': (a ?? b)! }),
  },
  {
    pattern: /^password for '([^']+)' changed by '([^']+)'$/,
    facts: ([, name, by]) => ({
      ...iam('password-changed', ['user', 'change']),
      ...account(name!),
      'user.effective.name': by!,
    }),
  },
  {
    pattern: /^(lock|unlock) user '([^']+)' password$/,
    facts: ([, op, name]) => ({ ...iam(`user-password-${op!}ed`, ['user', 'change']), ...account(name!) }),
  },
  ...MORE_RULES,
];

export const SHADOW_UTILS = new Set([
  'useradd',
  'usermod',
  'userdel',
  'groupadd',
  'groupmod',
  'groupdel',
  'gpasswd',
  'passwd',
  'chpasswd',
  'chage',
  'newusers',
  'chfn',
  'chsh',
  'vipw',
  'vigr',
  'newgrp',
  'sg',
]);

export const shadowUtilsFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
