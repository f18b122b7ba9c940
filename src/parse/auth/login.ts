import { authentication, firstMatch, optional, remoteHost, type AuthFacts, type MessageRule } from './facts';

/** `UNKNOWN` is what both logins write for a name that is not an account (or was not asked for). */
function loginUser(name: string | undefined): AuthFacts {
  if (name === undefined || name === 'UNKNOWN') return { 'tuxwatch.auth.invalid_user': true };
  return { 'user.name': name };
}

/** shadow-utils login's `on '/dev/tty1'[ from 'host']` */
function shadowWhere(where: string | undefined): AuthFacts {
  const m = / on '([^']*)'(?: from '([^']*)')?/.exec(where ?? '');
  if (!m) return {};
  return { ...optional({ 'process.tty.name': m[1]!.replace(/^\/dev\//, '') }), ...remoteHost(m[2]) };
}

/**
 * login and agetty:
 * - shadow-utils login (src/login.c): `FAILED LOGIN (N) on '/dev/tty1'[ from 'h'] FOR 'u', reason`,
 *   `TOO MANY LOGIN TRIES (N) on … FOR 'u'`, `ROOT LOGIN  on …`, `'u' logged in  on …`, `LOGIN 'u' REFUSED  on …`,
 *   and without PAM `ILLEGAL ROOT LOGIN  on …`, `REPEATED login failures on …`, `invalid password for 'u'  on …`;
 * - util-linux login (login-utils/login.c): `FAILED LOGIN N FROM h FOR u, reason`, `TOO MANY LOGIN TRIES (N) FROM
 *   h FOR u, reason`, `FAILED LOGIN SESSION FROM h FOR u, reason`, `ROOT LOGIN ON tty[ FROM h]`,
 *   `LOGIN ON tty BY u[ FROM h]`, `DIALUP AT tty BY u`;
 * - agetty (agetty.c): `tty1: invalid character 0x… in login name`.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^FAILED LOGIN \((\d+)\)( on '.*?'(?: from '.*?')?)? FOR '(.*)', (.*)$/s,
    facts: ([, n, where, user, reason]) => ({
      ...authentication('failure', 'login'),
      ...loginUser(user),
      ...shadowWhere(where),
      'event.reason': reason!,
      'tuxwatch.auth.failures': Number(n),
    }),
  },
  {
    pattern: /^TOO MANY LOGIN TRIES \((\d+)\)( on '.*?'(?: from '.*?')?)? FOR '(.*)'$/s,
    facts: ([, n, where, user]) => ({
      ...authentication('failure', 'login-too-many-tries'),
      ...loginUser(user),
      ...shadowWhere(where),
      'tuxwatch.auth.failures': Number(n),
    }),
  },
  {
    pattern: /^(ROOT LOGIN|ILLEGAL ROOT LOGIN) ?( on '.*)?$/s,
    facts: ([, what, where]) => ({
      ...(what === 'ROOT LOGIN'
        ? authentication('success', 'login')
        : { ...authentication('failure', 'login-refused'), 'event.reason': 'illegal root login' }),
      'user.name': 'root',
      ...shadowWhere(where),
    }),
  },
  {
    // without PAM, after the last of LOGIN_RETRIES failed tries (lab-unseen.log): PAM builds write TOO MANY LOGIN TRIES
    pattern: /^REPEATED login failures ?( on '.*)?$/s,
    facts: ([, where]) => ({
      ...authentication('failure', 'login-too-many-tries'),
      ...shadowWhere(where),
      'event.reason': 'repeated login failures',
    }),
  },
  {
    pattern: /^'(.*)' logged in ?( on '.*)?$/s,
    facts: ([, user, where]) => ({
      ...authentication('success', 'login'),
      ...loginUser(user),
      ...shadowWhere(where),
    }),
  },
  {
    pattern: /^LOGIN '(.*)' REFUSED ?( on '.*)?$/s,
    facts: ([, user, where]) => ({
      ...authentication('failure', 'login-refused'),
      ...loginUser(user),
      ...shadowWhere(where),
    }),
  },
  {
    // without PAM a wrong password is `invalid password for` (a failed login, as FAILED LOGIN is with PAM); the
    // other two refuse whatever the password
    pattern: /^(invalid password|invalid login time|exceeded failure limit) for '(.*?)'(.*)$/s,
    facts: ([, what, user, where]) => ({
      ...authentication('failure', what === 'invalid password' ? 'login' : 'login-refused'),
      ...loginUser(user),
      ...shadowWhere(where),
      'event.reason': what!,
    }),
  },
  {
    pattern: /^FAILED LOGIN (\d+) FROM (\S+) FOR (\S+), (.*)$/s,
    facts: ([, n, host, user, reason]) => ({
      ...authentication('failure', 'login'),
      ...loginUser(user),
      ...utilLinuxFrom(host),
      'event.reason': reason!,
      'tuxwatch.auth.failures': Number(n),
    }),
  },
  {
    pattern: /^(TOO MANY LOGIN TRIES \((\d+)\)|FAILED LOGIN SESSION) FROM (\S+) FOR (\S+), (.*)$/s,
    facts: ([, what, n, host, user, reason]) => ({
      ...authentication('failure', n !== undefined ? 'login-too-many-tries' : 'login-session-failed'),
      ...loginUser(user),
      ...utilLinuxFrom(host),
      'event.reason': reason!,
      ...(n !== undefined && { 'tuxwatch.auth.failures': Number(n) }),
      ...(what === undefined && {}),
    }),
  },
  {
    pattern: /^(?:ROOT LOGIN ON (\S+)|LOGIN ON (\S+) BY (\S+)|DIALUP AT (\S+) BY (\S+))(?: FROM (\S+))?$/,
    facts: ([, rootTty, tty, user, dialTty, dialUser, host]) => ({
      ...authentication('success', 'login'),
      'user.name': user ?? dialUser ?? 'root',
      'process.tty.name': (rootTty ?? tty ?? dialTty)!,
      ...utilLinuxFrom(host),
    }),
  },
  {
    pattern: /^(\S+): invalid character (0x[0-9a-f]+) in login name$/,
    facts: ([, tty, char]) => ({
      ...authentication('failure', 'login-invalid-name'),
      'process.tty.name': tty!,
      'event.reason': `invalid character ${char!} in login name`,
    }),
  },
];

/** util-linux login writes the tty's name for a local login where a host would be. */
const utilLinuxFrom = (host: string | undefined): AuthFacts =>
  host === undefined || host.startsWith('tty') || host.startsWith('/dev/') ? {} : remoteHost(host);

export const loginFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
