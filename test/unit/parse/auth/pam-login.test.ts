import { describe, it } from 'vitest';
import { expectFacts, lineEndingWith } from './auth-lines';

const lab = (message: string) => lineEndingWith('lab-auth.log', message);
const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);

describe('Linux-PAM (1.5.2 here; old sub-tag forms from Wazuh; module format strings where noted)', () => {
  it.each([
    [
      lab(
        'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=bob',
      ),
      {
        'event.action': 'pam-authentication-failure',
        'event.outcome': 'failure',
        'user.name': 'bob',
        'source.ip': '127.0.0.1',
        'tuxwatch.pam.module': 'pam_unix',
        'tuxwatch.pam.service': 'sshd',
        'tuxwatch.event.count': undefined,
      },
    ],
    [
      lab(
        'pam_unix(su:auth): authentication failure; logname= uid=1001 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=root',
      ),
      {
        'user.name': 'root',
        'source.user.name': 'alice',
        'process.tty.name': 'pts/0',
        'source.ip': undefined,
      },
    ],
    [
      wazuh(
        'sshd(pam_unix)[15794]: 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.0.3.1  user=root',
      ),
      {
        'event.action': 'pam-authentication-failure',
        'tuxwatch.event.count': 2,
        'user.name': 'root',
        'source.ip': '10.0.3.1',
        'process.name': 'sshd',
      },
    ],
    [
      lab('PAM 3 more authentication failures; logname= uid=0 euid=0 tty=/dev/pts/0 ruser= rhost= '),
      { 'tuxwatch.event.count': 3, 'process.name': 'login' },
    ],
    [
      lab('pam_unix(sshd:auth): check pass; user unknown'),
      { 'event.action': 'pam-unknown-user', 'event.outcome': 'failure' },
    ],
    [
      wazuh('unix_chkpwd[15804]: password check failed for user (username)'),
      { 'event.action': 'pam-password-check-failed', 'user.name': 'username' },
    ],
    [
      lab('pam_unix(sudo:session): session opened for user root(uid=0) by (uid=1001)'),
      { 'event.action': 'session-opened', 'user.name': 'root', 'user.id': '0', 'user.effective.id': '1001' },
    ],
    [
      wazuh('su[8060]: (pam_unix) session opened for user root by (uid=0)'),
      { 'event.action': 'session-opened', 'tuxwatch.pam.module': 'pam_unix' },
    ],
    [
      wazuh('login: pam_unix(login:session): session opened for user carl by LOGIN(uid=0)'),
      { 'user.effective.name': 'LOGIN' },
    ],
    [
      lab('pam_unix(su:session): session closed for user alice'),
      { 'event.action': 'session-closed', 'event.type': ['end'] },
    ],
    [
      lab('pam_unix(passwd:chauthtok): password changed for erin'),
      { 'event.action': 'password-changed', 'user.target.name': 'erin' },
    ],
    [
      lab('pam_unix(su:account): expired password for user erin (root enforced)'),
      { 'event.action': 'pam-password-expired', 'user.name': 'erin' },
    ],
    [
      lab('pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"'),
      { 'event.action': 'pam-requirement-not-met', 'event.outcome': 'failure', 'user.name': 'root' },
    ],
    [
      // pam_faillock.c (format string)
      'Nov 27 17:45:12 lab sshd[601]: pam_faillock(sshd:auth): Consecutive login failures for user dave account temporarily locked',
      { 'event.action': 'pam-account-locked', 'user.name': 'dave' },
    ],
    [
      // pam_tally2.c before Linux-PAM 1.5 (format string)
      'Nov 27 17:45:12 lab sshd[601]: pam_tally2(sshd:auth): user root (0) tally 4, deny 3',
      { 'event.action': 'pam-account-locked', 'user.name': 'root', 'tuxwatch.auth.failures': 4 },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));
});

describe('login and agetty (shadow-utils 4.13 login here; util-linux login and agetty from their format strings)', () => {
  it.each([
    [
      lab("FAILED LOGIN (1) on '/dev/pts/0' FOR 'alice', Authentication failure"),
      {
        'event.action': 'login',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'process.tty.name': 'pts/0',
        'event.reason': 'Authentication failure',
      },
    ],
    [
      lab("FAILED LOGIN (2) on '/dev/pts/0' FOR 'UNKNOWN', Authentication failure"),
      { 'user.name': undefined, 'tuxwatch.auth.invalid_user': true },
    ],
    [
      lab("TOO MANY LOGIN TRIES (5) on '/dev/pts/0' FOR 'UNKNOWN'"),
      { 'event.action': 'login-too-many-tries', 'tuxwatch.auth.failures': 5 },
    ],
    [
      lab("ROOT LOGIN  on '/dev/pts/0'"),
      { 'event.action': 'login', 'event.outcome': 'success', 'user.name': 'root' },
    ],
    [
      'Nov 27 17:45:12 lab login[90]: FAILED LOGIN 1 FROM 192.0.2.7 FOR alice, Authentication failure',
      { 'event.outcome': 'failure', 'source.ip': '192.0.2.7' },
    ],
    [
      'Nov 27 17:45:12 lab login[90]: LOGIN ON tty1 BY alice',
      { 'event.outcome': 'success', 'user.name': 'alice', 'process.tty.name': 'tty1' },
    ],
    [
      'Nov 27 17:45:12 lab login[90]: ROOT LOGIN ON tty2 FROM 192.0.2.7',
      { 'user.name': 'root', 'source.ip': '192.0.2.7' },
    ],
    [
      'Nov 27 17:45:12 lab agetty[90]: tty1: invalid character 0x1b in login name',
      { 'event.action': 'login-invalid-name' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.category': ['authentication'], ...expected }));
});
