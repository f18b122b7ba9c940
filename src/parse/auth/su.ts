import { authentication, firstMatch, optional, type AuthFacts, type MessageRule } from './facts';

/** Who switched to whom, on which terminal, and whether it worked. */
function switchUser(
  outcome: 'success' | 'failure',
  by: string | undefined,
  to: string | undefined,
  tty?: string,
): AuthFacts {
  // Object.assign, not spread, for the reason pam.ts gives
  return Object.assign(
    authentication(outcome, 'su'),
    optional({
      'user.name': by === '???' ? undefined : by,
      'user.target.name': to === '???' ? undefined : to,
      'process.tty.name': tty === 'none' || tty === '???' ? undefined : tty?.replace(/^\/dev\//, ''),
    }),
  );
}

/**
 * su in every wording it has had:
 * - util-linux (login-utils/su-common.c log_syslog): `(to T) U on TTY`, `FAILED SU (to T) U on TTY`, and
 *   runuser's `FAILED RUNUSER (to T) U on TTY` (runuser does not authenticate: only a PAM item error writes it);
 * - shadow-utils (src/su.c, lib/sulog.c, src/suauth.c): `+ TTY U:T`, `- TTY U:T`, `Successful su for T by U`,
 *   `FAILED su for T by U`, `Authentication failed for T`, `SU by U to restricted account T`,
 *   `DENIED su from 'U' to 'T' (/etc/suauth)`, `NO password asked for su from 'U' to 'T' (/etc/suauth)`;
 * - older shadow and BSD-derived su (as published in Wazuh's decoder samples): `- TTY U-T`, `U to T on TTY`,
 *   `BAD SU U to T on TTY`, and IRIX's `failed: TTY changing from U to T`.
 */
const RULES: readonly MessageRule[] = [
  {
    pattern: /^(FAILED (?:SU|RUNUSER) )?\(to (\S*)\) (\S*) on (\S+)$/,
    facts: ([, failed, to, by, tty]) => switchUser(failed ? 'failure' : 'success', by, to, tty),
  },
  {
    pattern: /^([+-]) (\S+) (\S+?):(\S+)$/,
    facts: ([, sign, tty, by, to]) => switchUser(sign === '+' ? 'success' : 'failure', by, to, tty),
  },
  {
    // the old sulog-style syslog line: the caller and the target joined by the last dash
    pattern: /^([+-]) (\S+) (\S+)-([^\s-]+)$/,
    facts: ([, sign, tty, by, to]) => switchUser(sign === '+' ? 'success' : 'failure', by, to, tty),
  },
  {
    pattern: /^(Successful|FAILED) su for (\S+) by (\S+)$/,
    facts: ([, verdict, to, by]) => switchUser(verdict === 'Successful' ? 'success' : 'failure', by, to),
  },
  {
    pattern: /^Authentication failed for (\S+)$/,
    facts: ([, to]) => switchUser('failure', undefined, to),
  },
  {
    pattern: /^SU by (\S+) to restricted account (\S+)$/,
    facts: ([, by, to]) =>
      Object.assign(switchUser('failure', by, to), { 'event.reason': 'restricted account' }),
  },
  {
    // src/suauth.c names the file whose rule decided, not a terminal
    pattern: /^(DENIED|NO password asked for) su from '([^']*)' to '([^']*)' \((\S+)\)$/,
    facts: ([, verdict, by, to, file]) =>
      Object.assign(switchUser(verdict === 'DENIED' ? 'failure' : 'success', by, to), {
        'event.reason': verdict === 'DENIED' ? `denied by ${file!}` : `no password asked (${file!})`,
      }),
  },
  {
    pattern: /^(BAD SU )?(\S+) to (\S+) on (\S+)$/,
    facts: ([, bad, by, to, tty]) => switchUser(bad ? 'failure' : 'success', by, to, tty),
  },
  {
    pattern: /^failed: (\S+) changing from (\S+) to (\S+)$/,
    facts: ([, tty, by, to]) => switchUser('failure', by, to, tty),
  },
];

export const suFacts = (message: string): AuthFacts | undefined => firstMatch(RULES, message);
