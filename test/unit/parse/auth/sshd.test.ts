import { describe, expect, it } from 'vitest';
import { eventOf, expectFacts, fixtureLines, lineEndingWith } from './auth-lines';

const lab = (message: string) => lineEndingWith('lab-auth.log', message);
const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);
const more = (message: string) => lineEndingWith('lab-more.log', message);
const fail2ban = (message: string) => lineEndingWith('fail2ban-sshd.log', message);
const published = (message: string) => lineEndingWith('published-auth.log', message);
const edges = (message: string) => lineEndingWith('lab-edges.log', message);

describe('sshd: every authentication outcome (OpenSSH 9.2p1 lines generated here; older wordings from Wazuh)', () => {
  it.each([
    [
      lab('Accepted password for alice from 127.0.0.1 port 45634 ssh2'),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'success',
        'user.name': 'alice',
        'tuxwatch.auth.method': 'password',
        'source.ip': '127.0.0.1',
        'source.port': 45634,
        'tuxwatch.auth.invalid_user': undefined,
      },
    ],
    [
      lab(
        'Accepted publickey for alice from 127.0.0.1 port 45622 ssh2: ED25519 SHA256:jbBmU4egehOqIxeAWvicUXjs0s1VWOMUQLjjSJcHKV4',
      ),
      {
        'event.outcome': 'success',
        'tuxwatch.auth.method': 'publickey',
        'tuxwatch.ssh.key': 'ED25519 SHA256:jbBmU4egehOqIxeAWvicUXjs0s1VWOMUQLjjSJcHKV4',
      },
    ],
    [
      lab('Failed password for invalid user nosuchuser from 127.0.0.1 port 45670 ssh2'),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'failure',
        'user.name': 'nosuchuser',
        'tuxwatch.auth.invalid_user': true,
      },
    ],
    [
      lab('Failed keyboard-interactive/pam for invalid user nosuchuser from 127.0.0.1 port 34750 ssh2'),
      { 'tuxwatch.auth.method': 'keyboard-interactive/pam', 'event.outcome': 'failure' },
    ],
    [
      lab(
        'Failed publickey for alice from 127.0.0.1 port 35288 ssh2: ED25519 SHA256:jbBmU4egehOqIxeAWvicUXjs0s1VWOMUQLjjSJcHKV4',
      ),
      {
        'event.outcome': 'failure',
        'tuxwatch.auth.method': 'publickey',
        'tuxwatch.auth.invalid_user': false,
      },
    ],
    [
      lab(
        'Postponed keyboard-interactive for invalid user nosuchuser from 127.0.0.1 port 34750 ssh2 [preauth]',
      ),
      {
        'event.action': 'ssh-login-postponed',
        'event.outcome': 'unknown',
        'tuxwatch.auth.invalid_user': true,
        'tuxwatch.ssh.preauth': true,
      },
    ],
    [
      lab('Invalid user nosuchuser from 127.0.0.1 port 45670'),
      {
        'event.action': 'ssh-invalid-user',
        'event.outcome': 'failure',
        'user.name': 'nosuchuser',
        'source.ip': '127.0.0.1',
        'source.port': 45670,
      },
    ],
    [
      wazuh('Invalid user user from 212.64.151.233'),
      { 'event.action': 'ssh-invalid-user', 'source.ip': '212.64.151.233', 'source.port': undefined },
    ],
    [
      wazuh('input_userauth_request: invalid user opcione [preauth]'),
      {
        'event.action': 'ssh-invalid-user-request',
        'user.name': 'opcione',
        'tuxwatch.auth.invalid_user': true,
        'source.ip': undefined,
      },
    ],
    [
      lab('User bob from 127.0.0.1 not allowed because not listed in AllowUsers'),
      {
        'event.action': 'ssh-user-not-allowed',
        'event.outcome': 'failure',
        'user.name': 'bob',
        'source.ip': '127.0.0.1',
        'event.reason': 'not listed in AllowUsers',
      },
    ],
    [
      lab('User bob from 127.0.0.1 not allowed because listed in DenyUsers'),
      { 'event.reason': 'listed in DenyUsers' },
    ],
    [
      lab("User bob from 127.0.0.1 not allowed because none of user's groups are listed in AllowGroups"),
      {
        'event.action': 'ssh-user-not-allowed',
        'event.reason': "none of user's groups are listed in AllowGroups",
      },
    ],
    [
      lab('User carol from 127.0.0.1 not allowed because a group is listed in DenyGroups'),
      { 'user.name': 'carol' },
    ],
    [
      // sshd without PAM checks the account itself
      more('User carol not allowed because account is locked'),
      { 'event.action': 'ssh-user-not-allowed', 'user.name': 'carol', 'event.reason': 'account is locked' },
    ],
    [
      more('User bob not allowed because shell /usr/local/bin/nosuchshell does not exist'),
      {
        'event.action': 'ssh-user-not-allowed',
        'user.name': 'bob',
        'event.reason': 'shell /usr/local/bin/nosuchshell does not exist',
      },
    ],
    [
      wazuh(
        'error: maximum authentication attempts exceeded for invalid user badguy from 192.168.33.1 port 55146 ssh2 [preauth]',
      ),
      {
        'event.action': 'ssh-max-auth-attempts',
        'event.outcome': 'failure',
        'user.name': 'badguy',
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '192.168.33.1',
        'source.port': 55146,
      },
    ],
    [
      lab('Authentication refused: bad ownership or modes for file /home/alice/.ssh/authorized_keys'),
      {
        'event.action': 'ssh-key-file-refused',
        'file.path': '/home/alice/.ssh/authorized_keys',
        'event.outcome': 'failure',
      },
    ],
    [
      lab('Authentication refused: bad ownership or modes for directory /home/alice/.ssh'),
      { 'file.path': '/home/alice/.ssh' },
    ],
    [
      lab('error: PAM: Authentication failure for illegal user nosuchuser from 127.0.0.1'),
      {
        'event.action': 'ssh-pam-failure',
        'user.name': 'nosuchuser',
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '127.0.0.1',
        'event.reason': 'Authentication failure',
      },
    ],
    [
      wazuh('error: PAM: authentication error for user from 192.168.33.1'),
      { 'event.action': 'ssh-pam-failure', 'user.name': 'user', 'tuxwatch.auth.invalid_user': false },
    ],
    [
      wazuh(
        'Address 192.168.18.54 maps to nmap.18.168.192.in-addr.arpa, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!',
      ),
      { 'event.action': 'ssh-reverse-dns-mismatch', 'source.ip': '192.168.18.54' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));
});

describe('sshd: probes, connections and sessions', () => {
  it.each([
    [
      wazuh('Did not receive identification string from 172.18.1.1 port 45824'),
      {
        'event.action': 'ssh-no-identification',
        'tuxwatch.ssh.probe': true,
        'source.ip': '172.18.1.1',
        'source.port': 45824,
      },
    ],
    [
      wazuh("Bad protocol version identification 'ls' from 172.18.1.1 port 59920"),
      {
        'event.action': 'ssh-bad-protocol-version',
        'tuxwatch.ssh.client_banner': 'ls',
        'source.ip': '172.18.1.1',
      },
    ],
    [
      lab('error: kex_exchange_identification: client sent invalid protocol identifier "GET / HTTP/1.1"'),
      {
        'event.action': 'ssh-bad-protocol-version',
        'tuxwatch.ssh.client_banner': 'GET / HTTP/1.1',
        'tuxwatch.ssh.probe': true,
      },
    ],
    [
      lab('banner exchange: Connection from 127.0.0.1 port 35268: invalid format'),
      { 'event.action': 'ssh-bad-protocol-version', 'source.port': 35268 },
    ],
    [
      lab('banner exchange: Connection from 127.0.0.1 port 35282: could not read protocol version'),
      { 'event.action': 'ssh-no-identification', 'source.ip': '127.0.0.1' },
    ],
    [
      lab('error: kex_exchange_identification: Connection closed by remote host'),
      { 'event.action': 'ssh-no-identification' },
    ],
    [lab('error: Protocol major versions differ: 2 vs. 1'), { 'event.action': 'ssh-bad-protocol-version' }],
    [
      wazuh("scanned from 127.0.0.1 with SSH-1.99-AKASSH_Version_Mapper1.  Don't panic."),
      { 'event.action': 'ssh-scanned', 'tuxwatch.ssh.probe': true },
    ],
    [
      lab(
        'Unable to negotiate with 127.0.0.1 port 59394: no matching cipher found. Their offer: aes256-ctr [preauth]',
      ),
      { 'event.action': 'ssh-negotiation-failed', 'source.port': 59394, 'tuxwatch.ssh.probe': undefined },
    ],
    [
      lab('Connection from 127.0.0.1 port 45622 on 127.0.0.1 port 22 rdomain ""'),
      { 'event.action': 'ssh-connection-opened', 'source.port': 45622, 'destination.port': 22 },
    ],
    [
      lab('Connection closed by invalid user nosuchuser 127.0.0.1 port 45670 [preauth]'),
      {
        'event.action': 'ssh-connection-closed',
        'event.outcome': 'failure',
        'user.name': 'nosuchuser',
        'tuxwatch.auth.invalid_user': true,
        'tuxwatch.ssh.preauth': true,
      },
    ],
    [
      lab('Connection closed by authenticating user root 127.0.0.1 port 45642 [preauth]'),
      { 'user.name': 'root', 'tuxwatch.auth.invalid_user': false, 'event.outcome': 'failure' },
    ],
    [
      lab('Disconnected from user alice 127.0.0.1 port 45622'),
      // after login: no attempt ended here, no outcome
      { 'event.action': 'ssh-disconnected', 'user.name': 'alice', 'event.outcome': undefined },
    ],
    [
      wazuh('Disconnected from invalid user root 172.18.1.100 port 43042'),
      {
        'event.action': 'ssh-disconnected',
        'event.outcome': 'failure',
        'user.name': 'root',
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '172.18.1.100',
      },
    ],
    [
      wazuh('Disconnecting invalid user root 172.18.1.100 port 43042'),
      { 'event.action': 'ssh-disconnecting', 'user.name': 'root', 'tuxwatch.auth.invalid_user': true },
    ],
    [
      lab('Received disconnect from 127.0.0.1 port 45622:11: disconnected by user'),
      {
        'event.action': 'ssh-disconnect-received',
        'tuxwatch.ssh.disconnect_code': 11,
        'event.reason': 'disconnected by user',
      },
    ],
    [
      wazuh('Received disconnect from 212.14.228.46: 11: Bye Bye'),
      { 'source.ip': '212.14.228.46', 'event.reason': 'Bye Bye' },
    ],
    [
      wazuh('Connection reset by authenticating user user 192.168.33.1 port 51772 [preauth]'),
      { 'event.action': 'ssh-connection-reset', 'user.name': 'user', 'event.outcome': 'failure' },
    ],
    [
      lab('Starting session: command for alice from 127.0.0.1 port 45622 id 0'),
      {
        'event.action': 'ssh-session-started',
        'event.category': ['session'],
        'tuxwatch.ssh.session': 'command',
      },
    ],
    [
      lab('Close session: user alice from 127.0.0.1 port 45634 id 0'),
      { 'event.action': 'ssh-session-closed' },
    ],
    [lab('Received signal 15; terminating.'), { 'event.action': 'ssh-server-stopped' }],
  ])('%s', (line, expected) => expectFacts(line, expected));
});

describe("sshd forms no program here wrote: fail2ban's test cases and a published journal", () => {
  it.each([
    [
      fail2ban('ROOT LOGIN REFUSED FROM 1.2.3.4'),
      {
        'event.action': 'ssh-root-login-refused',
        'event.outcome': 'failure',
        'user.name': 'root',
        'source.ip': '1.2.3.4',
      },
    ],
    [
      fail2ban('ROOT LOGIN REFUSED FROM 1.2.3.4 port 12345 [preauth]'),
      { 'event.action': 'ssh-root-login-refused', 'source.port': 12345, 'tuxwatch.ssh.preauth': true },
    ],
    [
      fail2ban('ROOT LOGIN REFUSED FROM ::ffff:1.2.3.4'),
      { 'event.action': 'ssh-root-login-refused', 'source.ip': '::ffff:1.2.3.4' },
    ],
    [
      fail2ban('fatal: Timeout before authentication for 192.0.2.14 port 55555'),
      { 'event.action': 'ssh-auth-timeout', 'source.ip': '192.0.2.14', 'source.port': 55555 },
    ],
    [
      // 9.8+: the listener's line, naming both ends
      fail2ban('Timeout before authentication for connection from 192.0.2.17 to 127.0.0.1, pid = 29098'),
      { 'event.action': 'ssh-auth-timeout', 'source.ip': '192.0.2.17', 'destination.ip': '127.0.0.1' },
    ],
    [
      // a client that sends an empty user name: no name, still an invalid user from its address
      fail2ban('Invalid user  from 192.0.2.68 port 34916'),
      {
        'event.action': 'ssh-invalid-user',
        'event.outcome': 'failure',
        'user.name': undefined,
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '192.0.2.68',
      },
    ],
    [
      fail2ban('Connection closed by invalid user  192.0.2.68 port 34916 [preauth]'),
      {
        'event.action': 'ssh-connection-closed',
        'event.outcome': 'failure',
        'user.name': undefined,
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '192.0.2.68',
        'source.port': 34916,
      },
    ],
    [
      published('drop connection #11 from [10.142.0.5]:51068 on [10.142.0.17]:22 past MaxStartups'),
      {
        'event.action': 'ssh-connection-dropped',
        'event.outcome': 'failure',
        'source.ip': '10.142.0.5',
        'source.port': 51068,
        'event.reason': 'past MaxStartups',
      },
    ],
  ])('%s', (line, expected) => expectFacts(line, expected));
});

describe('sshd edges provoked here (capture-edges.sh: no PAM, two methods, SSH-1 banner)', () => {
  it.each([
    [
      edges('User bob not allowed because shell /usr/local/bin/noexec-shell is not executable'),
      {
        'event.action': 'ssh-user-not-allowed',
        'event.outcome': 'failure',
        'user.name': 'bob',
        'event.reason': 'shell /usr/local/bin/noexec-shell is not executable',
      },
    ],
    [
      edges('User alice not allowed because /etc/nologin exists'),
      { 'event.action': 'ssh-user-not-allowed', 'user.name': 'alice', 'event.reason': '/etc/nologin exists' },
    ],
    [
      edges(
        'Partial publickey for alice from 127.0.0.1 port 40552 ssh2: ED25519 SHA256:QH2EzE60GlgJQcPmto8XdcyCilSyn4pZa1o8kqNpwS8',
      ),
      {
        'event.action': 'ssh-login-partial',
        'event.outcome': 'unknown',
        'user.name': 'alice',
        'tuxwatch.auth.method': 'publickey',
        'source.ip': '127.0.0.1',
      },
    ],
    [
      edges('error: Protocol major versions differ: 2 vs. 1'),
      {
        'event.action': 'ssh-bad-protocol-version',
        'tuxwatch.ssh.probe': true,
        'event.reason': 'protocol major versions differ: 2 vs. 1',
      },
    ],
  ])('%s', (line, expected) => expectFacts(line, expected));

  it('every line of the capture parses', () => {
    for (const line of fixtureLines('lab-edges.log')) expect(() => eventOf(line)).not.toThrow();
  });
});
