import { describe, expect, it } from 'vitest';
import { eventOf, expectFacts, fixtureLines, lineEndingWith } from './auth-lines';

/** capture-logind.sh: Debian sid's systemd-logind 262.1 and Debian 13's 257.13, booted in a container. */
const sid = (message: string) => lineEndingWith('lab-logind-sid.log', message);
const trixie = (message: string) => lineEndingWith('lab-logind-trixie.log', message);

describe('systemd-logind sessions, written by logind booted as a container (capture-logind.sh)', () => {
  it.each([
    [
      // 258+ quotes the id and the user and names the class and type (an ssh login with a terminal)
      sid("systemd-logind[44]: New session 'c1' of user 'alice' with class 'user' and type 'tty'."),
      {
        'event.action': 'logind-session-new',
        'event.type': ['start'],
        'user.name': 'alice',
        'tuxwatch.session.id': 'c1',
        'tuxwatch.session.class': 'user',
        'tuxwatch.session.type': 'tty',
      },
    ],
    [
      // the user's service manager gets a session of its own, of class manager
      sid("New session 'c2' of user 'alice' with class 'manager' and type 'unspecified'."),
      {
        'event.action': 'logind-session-new',
        'user.name': 'alice',
        'tuxwatch.session.id': 'c2',
        'tuxwatch.session.class': 'manager',
        'tuxwatch.session.type': 'unspecified',
      },
    ],
    [
      // 257 still writes the unquoted form, without class or type
      trixie('systemd-logind[53]: New session c1 of user alice.'),
      {
        'event.action': 'logind-session-new',
        'user.name': 'alice',
        'tuxwatch.session.id': 'c1',
        'tuxwatch.session.class': undefined,
        'tuxwatch.session.type': undefined,
      },
    ],
    [
      // KillUserProcesses=no: the session's end is logged when its leader goes, whatever is left running
      sid('Session c3 logged out. Waiting for processes to exit.'),
      { 'event.action': 'logind-session-logged-out', 'event.type': ['end'], 'tuxwatch.session.id': 'c3' },
    ],
    [
      trixie('Session c1 logged out. Waiting for processes to exit.'),
      { 'event.action': 'logind-session-logged-out', 'tuxwatch.session.id': 'c1' },
    ],
    [
      // c3 left `nohup sleep` behind: removed only once that was killed, seconds after it logged out
      sid('Removed session c3.'),
      { 'event.action': 'logind-session-removed', 'event.type': ['end'], 'tuxwatch.session.id': 'c3' },
    ],
  ])('%s', (line, expected) =>
    expectFacts(line, {
      'process.name': 'systemd-logind',
      'host.name': 'lab-logind',
      'event.category': ['session'],
      'event.outcome': 'success',
      ...expected,
    }),
  );

  it('reads every session line of both captures', () => {
    const lines = ['lab-logind-sid.log', 'lab-logind-trixie.log'].flatMap((f) =>
      fixtureLines(f).filter((l) => / systemd-logind\[\d+\]: (New session|Session|Removed session) /.test(l)),
    );
    expect(lines).toHaveLength(14);
    for (const line of lines) expect(eventOf(line)['event.action'], line).toMatch(/^logind-session-/);
  });
});
