import { describe, it } from 'vitest';
import { expectFacts, lineEndingWith } from './auth-lines';

const lab = (message: string) => lineEndingWith('lab-auth.log', message);
const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);
const more = (message: string) => lineEndingWith('lab-more.log', message);

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
      // sudo asked for a password with no way to read one
      lab('sudo: pam_unix(sudo:auth): auth could not identify password for [alice]'),
      {
        'event.action': 'pam-no-password',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'tuxwatch.pam.module': 'pam_unix',
      },
    ],
    [
      // pam_succeed_if (and pam_usertype with `audit`) on a name that is no account: PAM_USER_UNKNOWN
      wazuh('pam_succeed_if(sshd:auth): error retrieving information about user _z9xxbBW'),
      {
        'event.action': 'pam-unknown-user',
        'event.outcome': 'failure',
        'user.name': '_z9xxbBW',
        'tuxwatch.auth.invalid_user': true,
        'tuxwatch.pam.module': 'pam_succeed_if',
      },
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
      more('pam_faillock(sshd:auth): Consecutive login failures for user dave account temporarily locked'),
      { 'event.action': 'pam-account-locked', 'event.outcome': 'failure', 'user.name': 'dave' },
    ],
    [
      // Linux-PAM 1.4.0's pam_tally2, built here: the module was removed in 1.5
      more('pam_tally2(sshd:auth): user erin (1005) tally 3, deny 2'),
      { 'event.action': 'pam-account-locked', 'user.name': 'erin', 'tuxwatch.auth.failures': 3 },
    ],
    [
      more('pam_tally2(sshd:auth): user bob (1002) has time limit [27s left] since last failure.'),
      { 'event.action': 'pam-account-locked', 'user.name': 'bob' },
    ],
    [
      more('pam_unix(su:account): account frank has expired (account expired)'),
      { 'event.action': 'pam-account-expired', 'event.outcome': 'failure', 'user.name': 'frank' },
    ],
    [
      // util-linux login from a remote host: its PAM service is `remote`, and the repeat line carries the host
      more(
        'PAM 4 more authentication failures; logname= uid=0 euid=0 tty=/dev/pts/0 ruser= rhost=192.0.2.7  user=alice',
      ),
      { 'tuxwatch.event.count': 4, 'source.ip': '192.0.2.7', 'user.name': 'alice', 'process.name': 'login' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));
});

describe('login and agetty (shadow-utils 4.13 login and agetty here; util-linux 2.38.1 login built here)', () => {
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
      more("FAILED LOGIN (1) on '/dev/pts/0' from '198.51.100.23' FOR 'bob', Authentication failure"),
      { 'user.name': 'bob', 'source.ip': '198.51.100.23', 'process.tty.name': 'pts/0' },
    ],
    [
      lab("TOO MANY LOGIN TRIES (5) on '/dev/pts/0' FOR 'UNKNOWN'"),
      { 'event.action': 'login-too-many-tries', 'tuxwatch.auth.failures': 5 },
    ],
    [
      // shadow login with LOG_OK_LOGINS yes
      more("'alice' logged in  on '/dev/pts/0'"),
      {
        'event.action': 'login',
        'event.outcome': 'success',
        'user.name': 'alice',
        'process.tty.name': 'pts/0',
      },
    ],
    [
      lab("ROOT LOGIN  on '/dev/pts/0'"),
      { 'event.action': 'login', 'event.outcome': 'success', 'user.name': 'root' },
    ],
    [
      more('FAILED LOGIN 1 FROM 192.0.2.7 FOR alice, Authentication failure'),
      {
        'event.action': 'login',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'source.ip': '192.0.2.7',
        'tuxwatch.auth.failures': 1,
      },
    ],
    [
      // a local login: util-linux writes the terminal where the host would be
      more('FAILED LOGIN 1 FROM pts/0 FOR nosuchuser, Authentication failure'),
      { 'user.name': 'nosuchuser', 'source.ip': undefined },
    ],
    [
      more(
        'TOO MANY LOGIN TRIES (3) FROM 192.0.2.8 FOR alice, Have exhausted maximum number of retries for service',
      ),
      { 'event.action': 'login-too-many-tries', 'tuxwatch.auth.failures': 3, 'source.ip': '192.0.2.8' },
    ],
    [
      more('FAILED LOGIN SESSION FROM 192.0.2.7 FOR alice, Authentication failure'),
      { 'event.action': 'login-session-failed', 'event.outcome': 'failure', 'user.name': 'alice' },
    ],
    [
      more('LOGIN ON pts/0 BY alice FROM 192.0.2.7'),
      {
        'event.outcome': 'success',
        'user.name': 'alice',
        'process.tty.name': 'pts/0',
        'source.ip': '192.0.2.7',
      },
    ],
    [
      more('ROOT LOGIN ON pts/0'),
      { 'event.outcome': 'success', 'user.name': 'root', 'source.ip': undefined },
    ],
    [
      more('pts/0: invalid character 0x1b in login name'),
      { 'event.action': 'login-invalid-name', 'event.outcome': 'failure', 'process.tty.name': 'pts/0' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.category': ['authentication'], ...expected }));
});
