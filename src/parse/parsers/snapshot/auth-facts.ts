import type { FieldValue } from '../../../domain/event';
import type { FactMapper } from './fact-event';
import { keyOf } from './fact-event';

/**
 * Accounts and logins join the auth dataset with the entity fields the auth log gives the same things
 * (useradd: user.name, user.id, user.target.name, user.target.id, group.id), so rules and the alert
 * folder treat an account seen in /etc/passwd like one seen being created.
 */
export const account: FactMapper<'account'> = (a) => ({
  dataset: 'auth',
  key: keyOf('account', a.name, a.uid),
  fields: {
    'event.category': ['iam'],
    'event.type': ['user', 'info'],
    'user.name': a.name,
    'user.id': String(a.uid),
    'user.target.name': a.name,
    'user.target.id': String(a.uid),
    'group.id': String(a.gid),
    'user.full_name': a.gecos,
    'tuxwatch.user.home': a.home,
    'tuxwatch.user.shell': a.shell,
    'tuxwatch.user.groups': a.groups,
    'tuxwatch.user.password_field': a.password_field,
    ...(a.shadow
      ? {
          'tuxwatch.user.shadow.status': a.shadow.status,
          'tuxwatch.user.shadow.must_change': a.shadow.must_change,
          ...(a.shadow.last_change !== undefined && {
            'tuxwatch.user.shadow.last_change': a.shadow.last_change,
          }),
        }
      : { 'tuxwatch.user.shadow.status': 'none' }),
  },
});

export const group: FactMapper<'group'> = (g) => ({
  dataset: 'auth',
  key: keyOf('group', g.name, g.gid),
  fields: {
    'event.category': ['iam'],
    'event.type': ['group', 'info'],
    'group.name': g.name,
    'group.id': String(g.gid),
    'tuxwatch.group.members': g.members,
    ...(g.admins !== undefined && { 'tuxwatch.group.admins': g.admins }),
    ...(g.shadow_members !== undefined && { 'tuxwatch.group.shadow_members': g.shadow_members }),
  },
});

/** One account in one group: what usermod -aG / gpasswd -a logs as user-added-to-group. */
export const groupMember: FactMapper<'group-member'> = (m) => ({
  dataset: 'auth',
  key: keyOf('group-member', m.group, m.account),
  fields: {
    'event.category': ['iam'],
    'event.type': ['group', 'info'],
    'user.name': m.account,
    'user.target.name': m.account,
    'group.name': m.group,
    'group.id': String(m.gid),
    'tuxwatch.group.primary': m.primary,
  },
});

const LOGIN_TYPE: Readonly<Record<string, { action: string; category: string; type: string }>> = {
  USER_PROCESS: { action: 'logged-in', category: 'authentication', type: 'start' },
  DEAD_PROCESS: { action: 'logged-out', category: 'session', type: 'end' },
  BOOT_TIME: { action: 'system-boot', category: 'host', type: 'start' },
  RUN_LVL: { action: 'runlevel-changed', category: 'host', type: 'change' },
};

/**
 * A utmp-format record at its own time. wtmp USER_PROCESS is a login, btmp holds failed logins (the
 * same record shape, written by sshd and login on a failure), utmp the sessions open now.
 */
export const login: FactMapper<'login'> = (l) => {
  const failed = l.source === 'btmp';
  const kind = failed
    ? { action: 'login-failed', category: 'authentication', type: 'start' }
    : (LOGIN_TYPE[l.type] ?? {
        action: l.type.toLowerCase().replace(/_/g, '-'),
        category: 'session',
        type: 'info',
      });
  const fields: Record<string, FieldValue> = {
    'event.category': [kind.category],
    'event.type': [kind.type],
    'event.action': kind.action,
    'tuxwatch.login.source': l.source,
    'tuxwatch.login.type': l.type,
    'tuxwatch.login.line': l.line,
    'log.file.path': l.file,
  };
  if (kind.category === 'authentication') fields['event.outcome'] = failed ? 'failure' : 'success';
  if (l.user !== '') fields['user.name'] = l.user;
  if (l.pid > 0) fields['process.pid'] = l.pid;
  if (l.ip !== undefined) fields['source.ip'] = l.ip;
  if (l.host !== '' && l.host !== l.ip) fields['source.domain'] = l.host;
  return { dataset: 'auth', timestamp: l.time, fields };
};

export const lastlog: FactMapper<'lastlog'> = (l) => ({
  dataset: 'auth',
  timestamp: l.time,
  fields: {
    'event.category': ['authentication'],
    'event.type': ['info'],
    'event.action': 'last-login',
    'user.id': String(l.uid),
    ...(l.user !== undefined && { 'user.name': l.user }),
    'tuxwatch.login.line': l.line,
    ...(l.host !== '' && { 'source.address': l.host }),
    'log.file.path': l.file,
  },
});
