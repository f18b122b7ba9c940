import { describe, it } from 'vitest';
import { expectFacts, lineEndingWith } from './auth-lines';

const lab = (message: string) => lineEndingWith('lab-auth.log', message);
const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);
const more = (message: string) => lineEndingWith('lab-more.log', message);
const published = (message: string) => lineEndingWith('published-auth.log', message);
const edges = (message: string) => lineEndingWith('lab-edges.log', message);

describe('shadow-utils 4.13 account tools (every line generated here)', () => {
  it.each([
    [
      lab("change user name 'frank' to 'franklin'"),
      {
        'event.action': 'user-name-changed',
        'user.target.name': 'franklin',
        'tuxwatch.user.previous.value': 'frank',
      },
    ],
    [
      lab("change 'frank' to 'franklin' in group 'sudo'"),
      { 'event.action': 'group-member-renamed', 'group.name': 'sudo' },
    ],
    [
      lab("change user 'svc-app' shell from '/usr/sbin/nologin' to '/bin/bash'"),
      {
        'event.action': 'user-shell-changed',
        'tuxwatch.user.value': '/bin/bash',
        'tuxwatch.user.previous.value': '/usr/sbin/nologin',
      },
    ],
    [
      lab("change user 'franklin' inactive from '-1' to '7'"),
      { 'event.action': 'user-inactive-changed', 'tuxwatch.user.value': '7' },
    ],
    [
      lab("change user 'franklin' expiration from 'never' to '2030-01-01'"),
      { 'event.action': 'user-expiration-changed' },
    ],
    [
      lab('group changed in /etc/group (group ops/1006, new gid: 1600)'),
      { 'event.action': 'group-gid-changed', 'group.id': '1600', 'tuxwatch.group.previous.id': '1006' },
    ],
    [
      lab('group changed in /etc/gshadow (group ops, new name: operators)'),
      { 'event.action': 'group-renamed', 'group.name': 'operators', 'tuxwatch.group.previous.name': 'ops' },
    ],
    [
      lab('administrators of group operators set by root to alice'),
      { 'event.action': 'group-administrators-set', 'tuxwatch.group.members': ['alice'] },
    ],
    [
      lab('members of group operators set by root to alice,erin'),
      { 'event.action': 'group-members-set', 'tuxwatch.group.members': ['alice', 'erin'] },
    ],
    [
      lab('password of group operators removed by root'),
      { 'event.action': 'group-password-removed', 'user.name': 'root' },
    ],
    [lab('access to group operators restricted by root'), { 'event.action': 'group-restricted' }],
    [
      lab("password for 'erin' changed by 'root'"),
      { 'event.action': 'password-changed', 'user.effective.name': 'root' },
    ],
    [
      lab('changed password expiry for erin'),
      { 'event.action': 'user-password-expiry-changed', 'user.target.name': 'erin' },
    ],
    [lab("changed user 'erin' information"), { 'event.action': 'user-information-changed' }],
    [
      lab("changed user 'daemon' shell to '/bin/bash'"),
      {
        'event.action': 'user-shell-changed',
        'user.target.name': 'daemon',
        'tuxwatch.user.value': '/bin/bash',
      },
    ],
    [
      lab("removed shadow group 'nu1' owned by 'nu1'"),
      { 'event.action': 'group-deleted', 'group.name': 'nu1' },
    ],
    [lab("group 'sysops' removed from /etc/group"), { 'event.action': 'group-deleted' }],
    [lab("delete user 'franklin'"), { 'event.action': 'user-deleted' }],
    [
      wazuh("useradd[15178]: failed adding user 'ansible', data deleted"),
      { 'event.action': 'user-creation-failed', 'event.outcome': 'failure' },
    ],
    [
      // vipw names the scratch copy it installed over the file
      more('file /etc/passwd.edit edited'),
      { 'event.action': 'account-file-edited', 'file.path': '/etc/passwd' },
    ],
    [
      more("user 'alice' (login '???' on pts/0) switched to group 'sudo'"),
      {
        'event.action': 'group-switched',
        'group.name': 'sudo',
        'user.name': 'alice',
        'user.effective.name': undefined,
      },
    ],
    [
      more("user 'alice' (login '???' on pts/0) returned to group 'alice'"),
      { 'event.action': 'group-returned' },
    ],
  ] as [string, Record<string, unknown>][])('%s', (line, expected) =>
    expectFacts(line, { 'event.dataset': 'auth', 'event.category': ['iam'], ...expected }),
  );
});

describe('dropbear (2022.83 here; older wordings from Wazuh)', () => {
  it.each([
    [
      lab("Password auth succeeded for 'alice' from 127.0.0.1:47398"),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'success',
        'user.name': 'alice',
        'source.ip': '127.0.0.1',
        'source.port': 47398,
        'tuxwatch.auth.method': 'password',
      },
    ],
    [
      lab("Bad password attempt for 'alice' from 127.0.0.1:47414"),
      { 'event.action': 'ssh-login', 'event.outcome': 'failure', 'source.port': 47414 },
    ],
    [
      lab('Login attempt for nonexistent user'),
      { 'event.action': 'ssh-invalid-user', 'tuxwatch.auth.invalid_user': true },
    ],
    [
      wazuh('Login attempt for nonexistent user from 182.72.89.122:4328'),
      { 'source.ip': '182.72.89.122', 'source.port': 4328 },
    ],
    [
      lab(
        "Pubkey auth succeeded for 'alice' with ssh-ed25519 key SHA256:jbBmU4egehOqIxeAWvicUXjs0s1VWOMUQLjjSJcHKV4 from 127.0.0.1:47434",
      ),
      {
        'event.outcome': 'success',
        'tuxwatch.auth.method': 'publickey',
        'tuxwatch.ssh.key': 'ssh-ed25519 SHA256:jbBmU4egehOqIxeAWvicUXjs0s1VWOMUQLjjSJcHKV4',
      },
    ],
    [
      wazuh(
        "Pubkey auth succeeded for 'root' with key md5 78:d6:41:ca:78:37:80:88:1d:15:0a:68:91:d1:4e:ad from 10.10.10.241:51737",
      ),
      {
        'source.ip': '10.10.10.241',
        'user.name': 'root',
        'tuxwatch.ssh.key': 'md5 78:d6:41:ca:78:37:80:88:1d:15:0a:68:91:d1:4e:ad',
      },
    ],
    [
      lab("Exit before auth from <127.0.0.1:47414>: (user 'alice', 1 fails): Exited normally"),
      { 'event.action': 'ssh-disconnected-preauth', 'user.name': 'alice', 'tuxwatch.auth.failures': 1 },
    ],
    [lab('Child connection from 127.0.0.1:47398'), { 'event.action': 'ssh-connection-opened' }],
    [
      lab('Exit (alice) from <127.0.0.1:47398>: Disconnect received'),
      { 'event.action': 'ssh-disconnected', 'user.name': 'alice' },
    ],
    [
      // dropbear -T 2 here: the limit is the reason of its exit line
      more(
        "Exit before auth from <127.0.0.1:48926>: (user 'alice', 2 fails): Max auth tries reached - user 'alice'",
      ),
      {
        'event.action': 'ssh-max-auth-attempts',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'source.ip': '127.0.0.1',
        'tuxwatch.auth.failures': 2,
      },
    ],
    [
      more("Exit before auth from <127.0.0.1:48938>: Max auth tries reached - user 'is invalid'"),
      { 'event.action': 'ssh-max-auth-attempts', 'user.name': undefined, 'tuxwatch.auth.invalid_user': true },
    ],
    [
      more("Exit before auth from <127.0.0.1:48982>: Incompatible remote version 'SSH-1.5-Probe'"),
      {
        'event.action': 'ssh-bad-protocol-version',
        'tuxwatch.ssh.probe': true,
        'tuxwatch.ssh.client_banner': 'SSH-1.5-Probe',
        'source.ip': '127.0.0.1',
      },
    ],
    [
      more("Too-long password attempt for 'alice' from 127.0.0.1:48974"),
      { 'event.action': 'ssh-login', 'event.outcome': 'failure', 'user.name': 'alice' },
    ],
    [
      more("User 'bob' has invalid shell, rejected"),
      { 'event.action': 'ssh-user-not-allowed', 'event.outcome': 'failure', 'user.name': 'bob' },
    ],
    [
      more("User 'erin' has blank password, rejected"),
      { 'event.action': 'ssh-user-not-allowed', 'user.name': 'erin' },
    ],
    [
      // -B lets an account with a blank password in: a success by the "none" method
      edges("Auth succeeded with blank password for 'erin' from 127.0.0.1:46946"),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'success',
        'user.name': 'erin',
        'tuxwatch.auth.method': 'none',
        'source.ip': '127.0.0.1',
        'source.port': 46946,
      },
    ],
    [more('root login rejected'), { 'event.action': 'ssh-user-not-allowed', 'user.name': 'root' }],
    [
      more("Logins are restricted to the group sudo but user 'dave' is not a member"),
      { 'event.action': 'ssh-user-not-allowed', 'user.name': 'dave', 'event.reason': 'not a member of sudo' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'process.name': 'dropbear', ...expected }));
});

describe('systemd-logind sessions (published journal excerpts, see the fixtures README)', () => {
  it.each([
    [
      published('systemd-logind[856]: New session c3 of user root.'),
      { 'event.action': 'logind-session-new', 'user.name': 'root', 'tuxwatch.session.id': 'c3' },
    ],
    [
      // journalctl's short format without a host name
      published('systemd-logind[2140]: New session 15 of user logind-test-user.'),
      { 'event.action': 'logind-session-new', 'user.name': 'logind-test-user', 'tuxwatch.session.id': '15' },
    ],
    [
      published('systemd-logind[856]: Removed session c3.'),
      { 'event.action': 'logind-session-removed', 'tuxwatch.session.id': 'c3' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.category': ['session'], ...expected }));
});
