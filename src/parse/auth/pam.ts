import {
  authentication,
  EVENT_COUNT,
  firstMatch,
  iam,
  optional,
  remoteHost,
  session,
  type AuthFacts,
  type MessageRule,
} from './facts';
import { isSpace, isWordChar } from '../text-checks';

/** The pairs of pam_unix's failure record that tuxwatch reads; a name written twice counts as its last value. */
interface FailurePairs {
  user?: string;
  ruser?: string;
  tty?: string;
  rhost?: string;
}

/**
 * `logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root` -> {user: 'root', ruser: '', tty: 'ssh', …}:
 * the pairs `/(\w+)=(\S*)/g` finds, read by hand — each `=` with a word character before it ends a name (the
 * run of word characters before it), and its value runs to the next white space. Only the values read are
 * cut out: matching every pair cost an array and two strings each, on most lines of an auth log.
 */
function failurePairs(text: string): FailurePairs {
  const out: FailurePairs = {};
  const n = text.length;
  let from = 0;
  for (let eq = text.indexOf('=', from); eq >= 0; eq = text.indexOf('=', from)) {
    let start = eq;
    while (start > from && isWordChar(text.charCodeAt(start - 1))) start--;
    if (start === eq) {
      from = eq + 1;
      continue;
    }
    let end = eq + 1;
    while (end < n && !isSpace(text.charCodeAt(end))) end++;
    from = end;
    const name = eq - start;
    if (name === 4 && text.startsWith('user', start)) out.user = text.slice(eq + 1, end);
    else if (name === 5 && text.startsWith('ruser', start)) out.ruser = text.slice(eq + 1, end);
    else if (name === 3 && text.startsWith('tty', start)) out.tty = text.slice(eq + 1, end);
    else if (name === 5 && text.startsWith('rhost', start)) out.rhost = text.slice(eq + 1, end);
  }
  return out;
}

/**
 * pam_unix's failure record: the account tried (`user=`), who asked (`ruser=`), from where and on which tty,
 * added to `facts` (empty values left out).
 */
function withFailureFields(facts: AuthFacts, pairs: string): AuthFacts {
  const kv = failurePairs(pairs);
  if (kv.user) facts['user.name'] = kv.user;
  if (kv.ruser) facts['source.user.name'] = kv.ruser;
  const tty = kv.tty?.replace(/^\/dev\//, '');
  if (tty) facts['process.tty.name'] = tty;
  return Object.assign(facts, remoteHost(kv.rhost));
}

/**
 * Facts are put together with Object.assign onto the first part (each builder returns a fresh object), not
 * spread: on Node 20 a literal with a spread and anything after it costs about half a microsecond, and these
 * run for most lines of an auth log (facts.ts).
 *
 * Linux-PAM module messages (pam_unix support.c / passverify.c / pam_unix_sess.c / unix_chkpwd.c,
 * pam_faillock, pam_tally2 and pam_tally before 1.5, pam_succeed_if). They arrive as `pam_unix(sshd:auth): …`
 * inside the message, as the sub-tag of old `sshd(pam_unix)[pid]: …` syslog, or as `(pam_unix) …` at the
 * start of the message; the caller strips the prefix.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^authentication failure;(.*)$/s,
    facts: ([, pairs]) => withFailureFields(authentication('failure', 'pam-authentication-failure'), pairs!),
  },
  {
    // written when the PAM handle ends: the failures after the first, which had its own line
    pattern: /^(\d+) more authentication failures?;(.*)$/s,
    facts: ([, n, pairs]) =>
      Object.assign(withFailureFields(authentication('failure', 'pam-authentication-failure'), pairs!), {
        [EVENT_COUNT]: Number(n),
      }),
  },
  {
    pattern: /^check pass; user unknown$/,
    facts: () =>
      Object.assign(authentication('failure', 'pam-unknown-user'), { 'tuxwatch.auth.invalid_user': true }),
  },
  {
    // pam_unix_auth.c: no password could be read (no tty, `sudo -n`, the prompt abandoned): a failed attempt
    pattern: /^auth could not identify password for \[(.*)\]$/s,
    facts: ([, user]) =>
      Object.assign(authentication('failure', 'pam-no-password'), optional({ 'user.name': user })),
  },
  {
    // pam_succeed_if and pam_usertype with `audit`: the name is no account (they return PAM_USER_UNKNOWN)
    pattern: /^error retrieving information about user (.+)$/s,
    facts: ([, user]) =>
      Object.assign(authentication('failure', 'pam-unknown-user'), {
        'user.name': user!,
        'tuxwatch.auth.invalid_user': true,
      }),
  },
  {
    // unix_chkpwd, the helper non-root programs use; pam_unix logs its own "authentication failure" too
    pattern: /^password check failed for user \((.*)\)$/s,
    facts: ([, user]) =>
      Object.assign(authentication('failure', 'pam-password-check-failed'), optional({ 'user.name': user })),
  },
  {
    pattern: /^session opened for user (\S+?)(?:\(uid=(\d+)\))? by (?:(\S*?))?\(uid=(\d+)\)/,
    facts: ([, user, uid, by, byUid]) =>
      Object.assign(
        session('session-opened'),
        { 'user.name': user! },
        optional({ 'user.id': uid, 'user.effective.name': by }),
        { 'user.effective.id': byUid! },
      ),
  },
  {
    pattern: /^session closed for user (\S+)/,
    facts: ([, user]) => Object.assign(session('session-closed', true), { 'user.name': user! }),
  },
  {
    pattern: /^password changed for (\S+)/,
    facts: ([, user]) =>
      Object.assign(iam('password-changed', ['user', 'change']), {
        'user.target.name': user!,
        'user.name': user!,
      }),
  },
  {
    pattern: /^(?:account (\S+) has expired \((.*)\)|expired password for user (\S+) \((.*)\))$/,
    facts: ([, account, why, pwUser, pwWhy]) =>
      Object.assign(
        authentication('failure', account !== undefined ? 'pam-account-expired' : 'pam-password-expired', [
          'info',
        ]),
        { 'user.name': (account ?? pwUser)!, 'event.reason': (why ?? pwWhy)! },
      ),
  },
  {
    pattern: /^Consecutive login failures for user (\S+) account temporarily locked$/,
    facts: ([, user]) =>
      Object.assign(authentication('failure', 'pam-account-locked', ['info']), { 'user.name': user! }),
  },
  {
    pattern: /^user (\S+) \((\d+)\) tally (\d+), deny (\d+)$/,
    facts: ([, user, uid, tally, deny]) =>
      Object.assign(authentication('failure', 'pam-account-locked', ['info']), {
        'user.name': user!,
        'user.id': uid!,
        'tuxwatch.auth.failures': Number(tally),
        'event.reason': `tally ${tally!}, deny ${deny!}`,
      }),
  },
  {
    pattern: /^user (\S+) \((\d+)\) has time limit \[(\d+)s left\] since last failure\.$/,
    facts: ([, user, uid, left]) =>
      Object.assign(authentication('failure', 'pam-account-locked', ['info']), {
        'user.name': user!,
        'user.id': uid!,
        'event.reason': `${left!}s left since last failure`,
      }),
  },
  {
    pattern: /^requirement "(.*)" (not met|was met) by (?:user "(.*)"|unknown user)$/s,
    facts: ([, requirement, verdict, user]) => {
      const facts = Object.assign(
        authentication(
          verdict === 'was met' ? 'success' : 'failure',
          verdict === 'was met' ? 'pam-requirement-met' : 'pam-requirement-not-met',
          ['info'],
        ),
        optional({ 'user.name': user }),
      );
      if (user === undefined) facts['tuxwatch.auth.invalid_user'] = true;
      facts['event.reason'] = `requirement "${requirement!}"`;
      return facts;
    },
  },
];

/** `pam_unix(sshd:auth): msg`: the module, the PAM service (usually the program) and the message. */
const PAM_PREFIX = /^(pam_\w+)\((\S+?):(\w+)\): (.*)$/s;
/** `(pam_unix) msg` (old Red Hat su) and `PAM 3 more authentication failures; …` (libpam's own tag). */
const OLD_PREFIX = /^(?:\((pam_\w+)\)|PAM) (.*)$/s;

const LOWER_P = 0x70;
const UPPER_P = 0x50;
const OPEN_PAREN = 0x28;

export interface PamMessage {
  readonly module: string;
  readonly service?: string;
  readonly message: string;
}

/** Splits the PAM module prefix off a message; undefined if the message is not a PAM module's. */
export function splitPamPrefix(message: string): PamMessage | undefined {
  // the patterns are only tried on messages that start like them: most auth messages are no PAM module's
  const first = message.charCodeAt(0);
  if (first !== LOWER_P && first !== UPPER_P && first !== OPEN_PAREN) return undefined;
  const m = PAM_PREFIX.exec(message);
  if (m) return { module: m[1]!, service: m[2]!, message: m[4]! };
  const old = OLD_PREFIX.exec(message);
  return old ? { module: old[1] ?? 'pam', message: old[2]! } : undefined;
}

export function pamFacts(pam: PamMessage): AuthFacts | undefined {
  const facts = firstMatch(RULES, pam.message);
  if (!facts) return undefined;
  // completed in place (each rule's facts are a fresh object): a copy per message was most of the cost
  facts['tuxwatch.pam.module'] = pam.module;
  if (pam.service !== undefined && pam.service !== '') facts['tuxwatch.pam.service'] = pam.service;
  return facts;
}
