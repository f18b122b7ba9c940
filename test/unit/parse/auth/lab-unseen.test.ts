import { describe, expect, it } from 'vitest';
import { eventOf, expectFacts, fixtureLines, lineEndingWith } from './auth-lines';

/** Lines capture-unseen.sh provoked: forms docs/auth-messages.md once listed as known only from format strings. */
const unseen = (message: string) => lineEndingWith('lab-unseen.log', message);

describe('forms provoked by capture-unseen.sh (builds without or with PAM, a serial line, PAM that cannot start)', () => {
  it.each([
    [
      // OpenSSH 9.2p1: a banner that starts "SSH-" but is not SSH-M.N-VERSION (8.0+; 7.x wrote no such line)
      unseen("error: Bad remote protocol version identification: 'SSH-2.0'"),
      {
        'event.action': 'ssh-bad-protocol-version',
        'event.outcome': 'failure',
        'tuxwatch.ssh.probe': true,
        'tuxwatch.ssh.client_banner': 'SSH-2.0',
      },
    ],
    [
      unseen("error: Bad remote protocol version identification: 'SSH-2.0-'"),
      { 'event.action': 'ssh-bad-protocol-version', 'tuxwatch.ssh.client_banner': 'SSH-2.0-' },
    ],
    [
      // OpenSSH 7.9p1: the banner exchange in sshd.c, with the client's address and both banners
      unseen(
        'Protocol major versions differ for 127.0.0.1 port 33526: SSH-2.0-OpenSSH_7.9 vs. SSH-1.5-Probe',
      ),
      {
        'event.action': 'ssh-bad-protocol-version',
        'event.outcome': 'failure',
        'tuxwatch.ssh.probe': true,
        'tuxwatch.ssh.client_banner': 'SSH-1.5-Probe',
        'event.reason': 'protocol major versions differ: SSH-2.0-OpenSSH_7.9 vs. SSH-1.5-Probe',
        'source.ip': '127.0.0.1',
        'source.port': 33526,
      },
    ],
    [
      unseen("Bad protocol version identification 'GET / HTTP/1.1' from 127.0.0.1 port 33530"),
      {
        'event.action': 'ssh-bad-protocol-version',
        'tuxwatch.ssh.client_banner': 'GET / HTTP/1.1',
        'source.ip': '127.0.0.1',
        'source.port': 33530,
      },
    ],
    [
      // Dropbear 2022.83 built with PAM
      unseen("Bad PAM password attempt for 'alice' from 127.0.0.1:48614"),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'tuxwatch.auth.invalid_user': false,
        'tuxwatch.auth.method': 'password/pam',
        'source.ip': '127.0.0.1',
        'source.port': 48614,
      },
    ],
    [
      unseen("Bad PAM password attempt for '<invalid username>' from 127.0.0.1:48616"),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'failure',
        'user.name': undefined,
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '127.0.0.1',
      },
    ],
    [
      // Debian's Dropbear 2022.83 given zeros for the signature of an authorized key (bad-sig-agent.py)
      unseen(
        "Pubkey auth bad signature for 'alice' with key SHA256:bz6cXr+5BcrZ+LaHoWYkTBJdrQrGE+aji/0UHuILQ80 from 127.0.0.1:39902",
      ),
      {
        'event.action': 'ssh-login',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'tuxwatch.auth.method': 'publickey',
        'tuxwatch.ssh.key': 'SHA256:bz6cXr+5BcrZ+LaHoWYkTBJdrQrGE+aji/0UHuILQ80',
        'source.ip': '127.0.0.1',
        'source.port': 39902,
      },
    ],
    [
      // shadow-utils 4.13 login without PAM: a wrong password is a failed login, as FAILED LOGIN is with PAM
      unseen("invalid password for 'alice'  on '/dev/pts/0'"),
      {
        'event.category': ['authentication'],
        'event.action': 'login',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'process.tty.name': 'pts/0',
        'event.reason': 'invalid password',
      },
    ],
    [
      unseen("invalid password for 'UNKNOWN'  on '/dev/pts/0' from '192.0.2.9'"),
      {
        'event.action': 'login',
        'user.name': undefined,
        'tuxwatch.auth.invalid_user': true,
        'source.ip': '192.0.2.9',
      },
    ],
    [
      unseen("REPEATED login failures on '/dev/pts/0'"),
      {
        'event.action': 'login-too-many-tries',
        'event.outcome': 'failure',
        'user.name': undefined,
        'process.tty.name': 'pts/0',
        'event.reason': 'repeated login failures',
      },
    ],
    [
      unseen("REPEATED login failures on '/dev/pts/0' from '192.0.2.9'"),
      { 'event.action': 'login-too-many-tries', 'source.ip': '192.0.2.9' },
    ],
    [
      unseen("ILLEGAL ROOT LOGIN  on '/dev/pts/0'"),
      {
        'event.action': 'login-refused',
        'event.outcome': 'failure',
        'user.name': 'root',
        'process.tty.name': 'pts/0',
        'event.reason': 'illegal root login',
      },
    ],
    [
      unseen("LOGIN 'carol' REFUSED  on '/dev/pts/0'"),
      {
        'event.action': 'login-refused',
        'event.outcome': 'failure',
        'user.name': 'carol',
        'process.tty.name': 'pts/0',
        'source.ip': undefined,
      },
    ],
    [
      unseen("LOGIN 'carol' REFUSED  on '/dev/pts/0' from '192.0.2.9'"),
      { 'event.action': 'login-refused', 'user.name': 'carol', 'source.ip': '192.0.2.9' },
    ],
    [
      // util-linux 2.38.1 login on a terminal named ttyS0
      unseen('DIALUP AT ttyS0 BY bob'),
      {
        'event.action': 'login',
        'event.outcome': 'success',
        'user.name': 'bob',
        'process.tty.name': 'ttyS0',
        'source.ip': undefined,
      },
    ],
    [
      // Debian 12's runuser when pam_start fails
      unseen('FAILED RUNUSER (to alice) root on none'),
      {
        'event.action': 'su',
        'event.outcome': 'failure',
        'user.name': 'root',
        'user.target.name': 'alice',
        'process.tty.name': undefined,
      },
    ],
    [
      unseen('FAILED RUNUSER (to bob) root on pts/0'),
      { 'event.outcome': 'failure', 'user.target.name': 'bob', 'process.tty.name': 'pts/0' },
    ],
    [
      // OpenDoas 6.8.1 without PAM, run with no terminal
      unseen('doas: tty required for alice'),
      {
        'event.action': 'doas-auth',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'event.reason': 'a tty is required',
      },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));

  it('every line of the capture parses', () => {
    for (const line of fixtureLines('lab-unseen.log')) expect(() => eventOf(line)).not.toThrow();
  });
});
