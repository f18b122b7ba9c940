import {
  authentication,
  firstMatch,
  iam,
  remoteHost,
  session,
  type AuthFacts,
  type MessageRule,
} from './facts';

/**
 * Linux-PAM module messages. They arrive either as `pam_unix(sshd:auth): …` inside the message or, in
 * older syslogs, as the sub-tag of `sshd(pam_unix)[pid]: …`; the caller strips the prefix.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^authentication failure;(.*)$/s,
    facts: ([, pairs]) => {
      const kv = keyValues(pairs!);
      return {
        ...authentication('failure', 'pam-authentication-failure'),
        ...(kv.user ? { 'user.name': kv.user } : {}),
        ...remoteHost(kv.rhost),
      };
    },
  },
  {
    pattern: /^session opened for user (\S+?)(?:\(uid=(\d+)\))? by (?:(\S+?))?\(uid=(\d+)\)/,
    facts: ([, user, uid, by, byUid]) => ({
      ...session('session-opened'),
      'user.name': user!,
      ...(uid ? { 'user.id': uid } : {}),
      ...(by ? { 'user.effective.name': by } : {}),
      'user.effective.id': byUid!,
    }),
  },
  {
    pattern: /^session closed for user (\S+)/,
    facts: ([, user]) => ({ ...session('session-closed'), 'user.name': user! }),
  },
  {
    pattern: /^password changed for (\S+)/,
    facts: ([, user]) => ({
      ...iam('password-changed', ['user', 'change']),
      'user.target.name': user!,
      'user.name': user!,
    }),
  },
  {
    pattern: /^check pass; user unknown/,
    facts: () => authentication('failure', 'pam-unknown-user'),
  },
];

/** `logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root` -> {logname: '', uid: '0', …} */
function keyValues(text: string): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const m of text.matchAll(/(\w+)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}

const PAM_PREFIX = /^(pam_\w+)\((\S+?):(\w+)\): (.*)$/s;

/** Splits `pam_unix(sshd:auth): msg` into the module, the service and the message; undefined if not PAM. */
export function splitPamPrefix(
  message: string,
): { module: string; service: string; message: string } | undefined {
  const m = PAM_PREFIX.exec(message);
  return m ? { module: m[1]!, service: m[2]!, message: m[4]! } : undefined;
}

export function pamFacts(module: string, message: string): AuthFacts | undefined {
  const facts = firstMatch(RULES, message);
  return facts ? { ...facts, 'tuxwatch.pam.module': module } : undefined;
}
