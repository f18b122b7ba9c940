import {
  authentication,
  firstMatch,
  invalidUserAttempt,
  network,
  optional,
  source,
  type AuthFacts,
  type MessageRule,
} from './facts';

/** Dropbear writes a client as `HOST:PORT`, `[v6]:PORT` or, in exit lines, `<HOST:PORT>`. */
const ADDRESS = String.raw`<?\[?([^\s<>\[\]]+?)\]?:(\d+)>?`;

const re = (text: string): RegExp => new RegExp(text.replace('ADDR', ADDRESS), 's');

/**
 * svr-authpubkey.c names the key `ssh-ed25519 key SHA256:…` when it succeeds and `key SHA256:…` (no type) on a bad
 * signature (lab-auth.log, lab-unseen.log), `key md5 HEX` in old versions (Wazuh); the field is `TYPE FINGERPRINT`
 * or the fingerprint alone, as sshd's.
 */
const KEY = String.raw`(?:(\S+) )?key (.+?)`;
const keyOf = (type: string | undefined, fingerprint: string): string =>
  type === undefined ? fingerprint : `${type} ${fingerprint}`;

/** svr-auth.c: `Max auth tries reached - user '%s'` (2020.79+), `… from %s` before; `is invalid` for no account */
const MAX_TRIES = /^Max auth tries reached - user '(.*)'(?: from (\S+))?$/s;

/** Reasons dropbear_exit() gives that are refusals: logged on their own by old versions, after `Exit before auth` now. */
const EXIT_REASONS: readonly MessageRule[] = [
  {
    pattern: MAX_TRIES,
    facts: ([, user, from]) => Object.assign(maxTries(user!), from !== undefined ? addressFacts(from) : {}),
  },
  {
    pattern: /^Incompatible remote version '(.*)'$/s,
    facts: ([, banner]) =>
      Object.assign(network('ssh-bad-protocol-version', 'denied', 'failure'), {
        'tuxwatch.ssh.probe': true,
        'tuxwatch.ssh.client_banner': banner!,
      }),
  },
];

function maxTries(user: string): AuthFacts {
  return Object.assign(
    authentication('failure', 'ssh-max-auth-attempts'),
    user === 'is invalid' ? { 'tuxwatch.auth.invalid_user': true } : optional({ 'user.name': user }),
  );
}

/**
 * Dropbear's server messages (svr-auth.c, svr-authpasswd.c, svr-authpam.c, svr-authpubkey.c, svr-main.c,
 * svr-session.c), 2013 to 2025. A password or key login is `ssh-login`, as sshd's, so the SSH rules see both.
 * Facts are assembled with Object.assign, not spread, for the reason pam.ts gives.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: re(
      String.raw`^(?:(PAM) )?Password auth succeeded for '(.*)' from ADDR(, extra auth required)?$`,
    ),
    facts: ([, pam, user, host, p, partial]) =>
      Object.assign(
        authentication(partial ? 'unknown' : 'success', partial ? 'ssh-login-partial' : 'ssh-login'),
        { 'user.name': user!, 'tuxwatch.auth.method': pam ? 'password/pam' : 'password' },
        source(host, p),
      ),
  },
  {
    pattern: re(String.raw`^Pubkey auth succeeded for '(.*)' with ${KEY} from ADDR(, extra auth required)?$`),
    facts: ([, user, type, fingerprint, host, p, partial]) =>
      Object.assign(
        authentication(partial ? 'unknown' : 'success', partial ? 'ssh-login-partial' : 'ssh-login'),
        {
          'user.name': user!,
          'tuxwatch.auth.method': 'publickey',
          'tuxwatch.ssh.key': keyOf(type, fingerprint!),
        },
        source(host, p),
      ),
  },
  {
    pattern: re(String.raw`^Auth succeeded with blank password for '(.*)' from ADDR$`),
    facts: ([, user, host, p]) =>
      Object.assign(
        authentication('success', 'ssh-login'),
        { 'user.name': user!, 'tuxwatch.auth.method': 'none' },
        source(host, p),
      ),
  },
  {
    // svr-authpam.c names a user that is no account `<invalid username>` (lab-unseen.log)
    pattern: re(String.raw`^(Bad|Bad PAM|Too-long) password attempt for '(.*)' from ADDR$`),
    facts: ([, kind, user, host, p]) =>
      Object.assign(
        authentication('failure', 'ssh-login'),
        kind === 'Bad PAM' && user === '<invalid username>'
          ? { 'tuxwatch.auth.invalid_user': true }
          : { 'user.name': user!, 'tuxwatch.auth.invalid_user': false },
        { 'tuxwatch.auth.method': kind === 'Bad PAM' ? 'password/pam' : 'password' },
        source(host, p),
      ),
  },
  {
    pattern: re(String.raw`^Pubkey auth bad signature for '(.*)' with ${KEY} from ADDR$`),
    facts: ([, user, type, fingerprint, host, p]) =>
      Object.assign(
        authentication('failure', 'ssh-login'),
        {
          'user.name': user!,
          'tuxwatch.auth.method': 'publickey',
          'tuxwatch.ssh.key': keyOf(type, fingerprint!),
        },
        source(host, p),
      ),
  },
  {
    // the address is missing when dropbear logs before the client's address is known (as captured here)
    pattern: re(String.raw`^Login attempt (?:for nonexistent user|with wrong user (\S+))(?: from ADDR)?$`),
    facts: ([, user, host, p]) => invalidUserAttempt(user, host, p),
  },
  {
    pattern:
      /^(?:User account '(.*)' is locked|User '(.*)' has (invalid shell|blank password), rejected|(root) login rejected|Logins are restricted to the group (\S+) but user '(.*)' is not a member)$/s,
    facts: ([, locked, user, why, root, group, member]) =>
      Object.assign(authentication('failure', 'ssh-user-not-allowed'), {
        'user.name': (locked ?? user ?? root ?? member)!,
        'event.reason':
          locked !== undefined
            ? 'account is locked'
            : (why ?? (root ? 'root login rejected' : `not a member of ${group!}`)),
      }),
  },
  {
    pattern: re(String.raw`^Child connection from ADDR$`),
    facts: ([, host, p]) => Object.assign(network('ssh-connection-opened', 'start'), source(host, p)),
  },
  {
    // dropbear_exit() writes its reason after this prefix; a reason that is itself a refusal (the max-tries
    // limit, an SSH-1 client) makes the exit that refusal
    pattern: re(String.raw`^Exit before auth(?: from ADDR)?: (?:\(user '(.*)', (\d+) fails\): )?(.*)$`),
    facts: ([, host, p, user, fails, reason]) => {
      const facts = Object.assign(
        firstMatch(EXIT_REASONS, reason!) ??
          Object.assign(network('ssh-disconnected-preauth', 'end'), optional({ 'user.name': user })),
        source(host, p),
      );
      if (fails !== undefined) facts['tuxwatch.auth.failures'] = Number(fails);
      facts['event.reason'] = reason!;
      return facts;
    },
  },
  {
    pattern: re(String.raw`^Exit \((.*?)\)(?: from ADDR)?: (.*)$`),
    facts: ([, user, host, p, reason]) =>
      Object.assign(network('ssh-disconnected', 'end'), optional({ 'user.name': user }), source(host, p), {
        'event.reason': reason!,
      }),
  },
  ...EXIT_REASONS,
];

function addressFacts(text: string): AuthFacts {
  const m = new RegExp(`^${ADDRESS}$`).exec(text);
  return m ? source(m[1], m[2]) : {};
}

export const dropbearFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
