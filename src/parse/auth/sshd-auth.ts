import {
  authentication,
  invalidUserAttempt,
  network,
  optional,
  source,
  type AuthFacts,
  type MessageRule,
} from './facts';

/**
 * OpenSSH sshd's authentication messages, 7.4 to 9.9 (auth.c auth_log / auth_maxtries_exceeded / allowed_user
 * / getpwnamallow / auth_root_allowed, auth2.c, auth-pam.c, auth2-pubkeyfile.c). The `error: ` prefix and the
 * `[preauth]` suffix are gone by the time these run (sshd.ts). Facts are assembled with Object.assign, not
 * spread, for the reason pam.ts gives.
 */

/** `Accepted|Failed|Partial|Postponed METHOD[/SUB] for [invalid user ]USER from HOST port N ssh2[: KEY]` */
const AUTH_LOG =
  /^(Accepted|Failed|Partial|Postponed) (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?(?:: (.*))?$/s;

const AUTH_LOG_MEANING = {
  Accepted: { outcome: 'success', action: 'ssh-login' },
  Failed: { outcome: 'failure', action: 'ssh-login' },
  Partial: { outcome: 'unknown', action: 'ssh-login-partial' },
  Postponed: { outcome: 'unknown', action: 'ssh-login-postponed' },
} as const;

/** allowed_user()'s reasons, which name the account and, for the AllowUsers family, the client. */
const NOT_ALLOWED_FROM = /^User (.*?) from (\S+) not allowed because (.*)$/s;
const NOT_ALLOWED = /^User (.*?) not allowed because (.*)$/s;

export const SSHD_AUTH_RULES: readonly MessageRule[] = [
  {
    pattern: AUTH_LOG,
    facts: ([, verdict, method, invalid, user, host, p, detail]) => {
      const { outcome, action } = AUTH_LOG_MEANING[verdict as keyof typeof AUTH_LOG_MEANING];
      const facts = Object.assign(
        authentication(outcome, action),
        optional({ 'user.name': user, 'tuxwatch.ssh.key': detail }),
      );
      facts['tuxwatch.auth.method'] = method!;
      if (verdict !== 'Accepted') facts['tuxwatch.auth.invalid_user'] = invalid !== undefined;
      return Object.assign(facts, source(host, p));
    },
  },
  {
    // getpwnamallow(): 7.4+ with the port, older without
    pattern: /^Invalid user (.*?) from (\S+)(?: port (\d+))?$/s,
    facts: ([, user, host, p]) => invalidUserAttempt(user, host, p),
  },
  {
    // auth2.c before 8.0: the twin of "Invalid user", without the client address
    pattern: /^input_userauth_request: invalid user (.*)$/s,
    facts: ([, user]) =>
      Object.assign(authentication('failure', 'ssh-invalid-user-request'), optional({ 'user.name': user }), {
        'tuxwatch.auth.invalid_user': true,
      }),
  },
  {
    pattern: NOT_ALLOWED_FROM,
    facts: ([, user, host, reason]) =>
      Object.assign(
        authentication('failure', 'ssh-user-not-allowed'),
        optional({ 'user.name': user }),
        { 'event.reason': reason! },
        source(host),
      ),
  },
  {
    pattern: NOT_ALLOWED,
    facts: ([, user, reason]) =>
      Object.assign(authentication('failure', 'ssh-user-not-allowed'), optional({ 'user.name': user }), {
        'event.reason': reason!,
      }),
  },
  {
    pattern:
      /^maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh2)?$/s,
    facts: ([, invalid, user, host, p]) =>
      Object.assign(
        authentication('failure', 'ssh-max-auth-attempts'),
        optional({ 'user.name': user }),
        { 'tuxwatch.auth.invalid_user': invalid !== undefined },
        source(host, p),
      ),
  },
  {
    pattern: /^ROOT LOGIN REFUSED FROM (\S+?)(?: port (\d+))?$/,
    facts: ([, host, p]) =>
      Object.assign(
        authentication('failure', 'ssh-root-login-refused'),
        { 'user.name': 'root' },
        source(host, p),
      ),
  },
  {
    // auth2-pubkeyfile.c / auth.c: the key file or a directory above it is writable by others
    pattern: /^Authentication refused(?: for (\S+))?: (bad ownership or modes for (?:file|directory) (.*))$/s,
    facts: ([, user, reason, path]) =>
      Object.assign(authentication('failure', 'ssh-key-file-refused'), optional({ 'user.name': user }), {
        'event.reason': reason!,
        'file.path': path!,
      }),
  },
  {
    // auth-pam.c: `PAM: <pam_strerror> for [illegal user ]USER from HOST`
    pattern: /^PAM: (.*?) for (illegal user )?(.*?) from (\S+)$/s,
    facts: ([, reason, illegal, user, host]) =>
      Object.assign(
        authentication('failure', 'ssh-pam-failure'),
        optional({ 'user.name': user }),
        { 'event.reason': reason!, 'tuxwatch.auth.invalid_user': illegal !== undefined },
        source(host),
      ),
  },
  {
    pattern: /^Address (\S+) maps to (\S+), but this does not map back to the address/,
    facts: ([, ip, name]) =>
      Object.assign(network('ssh-reverse-dns-mismatch', 'info'), source(ip), { 'source.domain': name! }),
  },
  {
    pattern: /^reverse mapping checking getaddrinfo for (\S+) \[(\S+)\] failed/,
    facts: ([, name, ip]) =>
      Object.assign(network('ssh-reverse-dns-mismatch', 'info'), source(ip), { 'source.domain': name! }),
  },
];

export type { AuthFacts };
