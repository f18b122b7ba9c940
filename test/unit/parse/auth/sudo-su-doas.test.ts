import { describe, it } from 'vitest';
import { continuesSudoLogEntry } from '../../../../src/parse/syslog/sudo-log-file';
import { expectFacts, fixtureLines, lineEndingWith } from './auth-lines';

const lab = (message: string) => lineEndingWith('lab-auth.log', message);
const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);
const more = (message: string) => lineEndingWith('lab-more.log', message);
/** The entries of the lab's sudo log file, each with its wrapped continuation lines (as scan joins them). */
const sudoFile = (prefix: string) =>
  fixtureLines('lab-sudo.log')
    .reduce<string[]>((entries, l) => {
      if (entries.length > 0 && continuesSudoLogEntry(entries.at(-1)!, l))
        entries.push(`${entries.pop()!}\n${l}`);
      else entries.push(l);
      return entries;
    }, [])
    .find((l) => l.includes(prefix))!;

describe('sudo 1.8–1.9, syslog and its own log file', () => {
  it.each([
    [
      // the interactive line issue 11 found read as a failure: TTY is a field, not a reason
      wazuh('sudo:  mike : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/su -'),
      {
        'event.action': 'sudo-command',
        'event.outcome': 'success',
        'user.name': 'mike',
        'user.target.name': 'root',
        'process.tty.name': 'pts/0',
        'process.working_directory': '/home/vagrant',
        'process.command_line': '/bin/su -',
        'event.reason': undefined,
      },
    ],
    [
      lab('root : TTY=pts/0 ; PWD=/ ; USER=bob ; COMMAND=/usr/bin/id'),
      { 'event.outcome': 'success', 'process.tty.name': 'pts/0', 'user.target.name': 'bob' },
    ],
    [
      lab('root : PWD=/ ; USER=bob ; COMMAND=/usr/bin/id'),
      { 'event.outcome': 'success', 'process.tty.name': undefined },
    ],
    [
      lab('root : PWD=/ ; USER=bob ; ENV=FOO=bar BAZ=qux ; COMMAND=/usr/bin/id'),
      { 'tuxwatch.sudo.env': 'FOO=bar BAZ=qux', 'process.command_line': '/usr/bin/id' },
    ],
    [lab('root : PWD=/ ; USER=alice ; GROUP=bob ; COMMAND=/usr/bin/id'), { 'user.target.group.name': 'bob' }],
    [
      wazuh('sudo: cplummer : TTY=pts/2 ; PWD=/home/cplummer1 ; USER=root ; TSID=0000UM ; COMMAND=/bin/bash'),
      { 'tuxwatch.sudo.tsid': '0000UM', 'event.outcome': 'success', 'process.command_line': '/bin/bash' },
    ],
    [
      lab('alice : 3 incorrect password attempts ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id'),
      {
        'event.outcome': 'failure',
        'event.reason': '3 incorrect password attempts',
        'tuxwatch.auth.failures': 3,
        'user.target.name': 'root',
      },
    ],
    [
      lab('bob : user NOT in sudoers ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id'),
      { 'event.outcome': 'failure', 'event.reason': 'user NOT in sudoers' },
    ],
    [
      lab('carol : command not allowed ; PWD=/ ; USER=root ; COMMAND=/bin/ls /'),
      { 'event.outcome': 'failure', 'process.command_line': '/bin/ls /' },
    ],
    [
      lab('alice : a password is required ; PWD=/ ; USER=root ; COMMAND=/usr/bin/id'),
      { 'event.outcome': 'failure' },
    ],
    [
      fixtureLines('lab-auth.log').find((l) => l.includes('(command continued)'))!,
      { 'event.action': 'sudo-command-continued', 'user.name': 'alice' },
    ],
    [
      sudoFile(': alice : 3 incorrect password attempts'),
      {
        'process.name': 'sudo',
        'event.action': 'sudo-command',
        'event.outcome': 'failure',
        'user.name': 'alice',
        'user.target.name': 'root',
        'host.name': 'unknown',
        'process.command_line': '/usr/bin/id',
      },
    ],
    [sudoFile('COMMAND=/usr/bin/id'), { 'event.outcome': 'success', 'process.command_line': '/usr/bin/id' }],
    [
      wazuh(
        'Aug 31 08:23:20 2017 : bart1 : HOST=hostname : command not allowed ; TTY=pts/0 ; PWD=/home ; USER=homer ; COMMAND=/u/homer/sudoTesting/testcopyscript.sh',
      ),
      {
        '@timestamp': '2017-08-31T08:23:20.000Z',
        'host.name': 'hostname',
        'user.name': 'bart1',
        'event.outcome': 'failure',
        'event.reason': 'command not allowed',
        'user.target.name': 'homer',
      },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));
});

describe('su: util-linux, shadow-utils and older wordings', () => {
  it.each([
    [
      lab('(to alice) root on none'),
      {
        'event.action': 'su',
        'event.outcome': 'success',
        'user.name': 'root',
        'user.target.name': 'alice',
        'process.tty.name': undefined,
      },
    ],
    [
      lab('FAILED SU (to root) alice on pts/0'),
      {
        'event.outcome': 'failure',
        'user.name': 'alice',
        'user.target.name': 'root',
        'process.tty.name': 'pts/0',
      },
    ],
    [
      wazuh('FAILED su for god by root'),
      { 'event.outcome': 'failure', 'user.name': 'root', 'user.target.name': 'god' },
    ],
    [
      wazuh('- pts/6 dcid-root'),
      {
        'event.outcome': 'failure',
        'user.name': 'dcid',
        'user.target.name': 'root',
        'process.tty.name': 'pts/6',
      },
    ],
    [wazuh('- pts/5 ab-dc-root'), { 'user.name': 'ab-dc', 'user.target.name': 'root' }],
    [wazuh('dcid to root on /dev/ttyp1'), { 'event.outcome': 'success', 'process.tty.name': 'ttyp1' }],
    [
      wazuh('BAD SU ger to fwmaster on /dev/ttyp0'),
      { 'event.outcome': 'failure', 'user.target.name': 'fwmaster' },
    ],
    [
      wazuh('failed: ttyq4 changing from ldap to root'),
      { 'event.outcome': 'failure', 'user.name': 'ldap', 'user.target.name': 'root' },
    ],
  ])('%s', (line, expected) => expectFacts(line, expected));

  it.each([
    // shadow-utils 4.13 su, built here with PAM (src/su.c, lib/sulog.c) and without (its own password check,
    // src/suauth.c, /etc/porttime): no shadow su runs on Debian, whose su is util-linux's
    [
      more('+ /dev/pts/0 alice:root'),
      {
        'event.outcome': 'success',
        'user.name': 'alice',
        'user.target.name': 'root',
        'process.tty.name': 'pts/0',
      },
    ],
    [
      more('- /dev/pts/0 bob:alice'),
      { 'event.outcome': 'failure', 'user.name': 'bob', 'user.target.name': 'alice' },
    ],
    [
      more('Successful su for root by alice'),
      { 'event.outcome': 'success', 'user.name': 'alice', 'user.target.name': 'root' },
    ],
    [
      more('FAILED su for alice by bob'),
      { 'event.outcome': 'failure', 'user.name': 'bob', 'user.target.name': 'alice' },
    ],
    [
      more('Authentication failed for root'),
      { 'event.outcome': 'failure', 'user.name': undefined, 'user.target.name': 'root' },
    ],
    [
      more('SU by alice to restricted account erin'),
      { 'event.outcome': 'failure', 'user.name': 'alice', 'user.target.name': 'erin' },
    ],
    [
      more("DENIED su from 'bob' to 'root' (/etc/suauth)"),
      {
        'event.outcome': 'failure',
        'user.name': 'bob',
        'user.target.name': 'root',
        'process.tty.name': undefined,
        'event.reason': 'denied by /etc/suauth',
      },
    ],
    [
      more("NO password asked for su from 'alice' to 'carol' (/etc/suauth)"),
      { 'event.outcome': 'success', 'user.target.name': 'carol' },
    ],
  ])('%s', (line, expected) => expectFacts(line, { 'event.action': 'su', ...expected }));
});

describe('doas (OpenDoas 6.8.2 here; OpenBSD wordings from Wazuh)', () => {
  it.each([
    [
      lab('carol ran command /usr/bin/id as root from /'),
      {
        'event.action': 'doas-command',
        'event.outcome': 'success',
        'user.name': 'carol',
        'user.target.name': 'root',
        'process.command_line': '/usr/bin/id',
        'process.working_directory': '/',
      },
    ],
    [
      lab('command not permitted for bob: id'),
      { 'event.outcome': 'failure', 'user.name': 'bob', 'process.command_line': 'id' },
    ],
    [
      lab('doas: failed auth for alice'),
      { 'event.action': 'doas-auth', 'event.outcome': 'failure', 'user.name': 'alice' },
    ],
    [wazuh('ddp ran command as ddpnfs: ls'), { 'user.target.name': 'ddpnfs', 'process.command_line': 'ls' }],
    [wazuh('failed command for ddp2: ls'), { 'event.outcome': 'failure', 'user.name': 'ddp2' }],
  ])('%s', (line, expected) => expectFacts(line, { 'event.dataset': 'auth', ...expected }));
});
