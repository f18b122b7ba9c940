import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

/** The web01 auth.log line whose message contains `fragment`, parsed. */
function eventFor(fragment: string): Record<string, unknown> {
  const line = corpusLines('web01', 'auth.log').find((l) => l.includes(fragment));
  if (!line) throw new Error(`no corpus line contains ${fragment}`);
  const r = parseRecord(
    { text: line, origin: { type: 'file', path: 'auth.log', line: 0 } },
    { timezone: 'Europe/Berlin', maxRecordBytes: 1 << 20 },
    new Date('2026-11-26T09:00:00Z'),
  );
  if (!r.ok) throw new Error(r.reason);
  return r.events[0]! as Record<string, unknown>;
}

describe('auth semantics of real web01 lines', () => {
  it.each([
    [
      'Accepted publickey for root from 127.0.0.1 port 35852',
      {
        'event.category': ['authentication'],
        'event.action': 'ssh-login',
        'event.outcome': 'success',
        'user.name': 'root',
        'source.ip': '127.0.0.1',
        'source.port': 35852,
        'tuxwatch.auth.method': 'publickey',
      },
    ],
    [
      'Failed password for invalid user admin from 127.0.0.1 port 35860',
      {
        'event.outcome': 'failure',
        'user.name': 'admin',
        'tuxwatch.auth.invalid_user': true,
        'source.port': 35860,
      },
    ],
    [
      'Failed password for root from 127.0.0.1 port 41850',
      { 'event.outcome': 'failure', 'user.name': 'root', 'tuxwatch.auth.invalid_user': false },
    ],
    [
      'Invalid user admin from 127.0.0.1 port 35860',
      { 'event.action': 'ssh-invalid-user', 'user.name': 'admin' },
    ],
    [
      'authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=127.0.0.1  user=root',
      { 'event.action': 'pam-authentication-failure', 'user.name': 'root', 'source.ip': '127.0.0.1' },
    ],
    [
      'session opened for user alice(uid=1001) by (uid=0)',
      { 'event.action': 'session-opened', 'user.name': 'alice', 'user.id': '1001', 'user.effective.id': '0' },
    ],
    [
      'new user: name=toor, UID=0, GID=0',
      {
        'event.action': 'user-created',
        'user.target.name': 'toor',
        'user.target.id': '0',
        'group.id': '0',
        'tuxwatch.user.home': '/root',
      },
    ],
    [
      "add 'svc-backup' to group 'sudo'",
      { 'event.action': 'user-added-to-group', 'user.target.name': 'svc-backup', 'group.name': 'sudo' },
    ],
    [
      "add 'svc-backup' to shadow group 'sudo'",
      { 'event.action': 'user-added-to-shadow-group', 'group.name': 'sudo' },
    ],
    [
      'user tmpadmin added by root to group sudo',
      {
        'event.action': 'user-added-to-group',
        'user.target.name': 'tmpadmin',
        'user.effective.name': 'root',
        'group.name': 'sudo',
      },
    ],
    [
      'new group: name=developers, GID=1004',
      { 'event.action': 'group-created', 'group.name': 'developers', 'group.id': '1004' },
    ],
    [
      "change user 'tmpadmin' UID from '1003' to '0'",
      {
        'event.action': 'user-uid-changed',
        'user.target.name': 'tmpadmin',
        'user.target.id': '0',
        'tuxwatch.user.previous.id': '1003',
      },
    ],
    [
      'password changed for alice',
      { 'event.action': 'password-changed', 'user.target.name': 'alice', 'process.name': 'chpasswd' },
    ],
    [
      'PWD=/ ; USER=alice ; COMMAND=/usr/bin/id',
      {
        'event.action': 'sudo-command',
        'user.name': 'root',
        'user.target.name': 'alice',
        'process.command_line': '/usr/bin/id',
        'event.outcome': 'success',
      },
    ],
    [
      '(to alice) root on none',
      { 'event.action': 'su', 'user.name': 'root', 'user.target.name': 'alice', 'event.outcome': 'success' },
    ],
    [
      'Server listening on 127.0.0.1 port 22',
      { 'event.action': 'ssh-server-listening', 'server.ip': '127.0.0.1', 'server.port': 22 },
    ],
  ])('%s', (fragment, expected) => {
    expect(eventFor(fragment)).toMatchObject({ 'event.dataset': 'auth', 'host.name': 'web01', ...expected });
  });

  it('a message no rule knows keeps its text and no invented semantics', () => {
    const e = eventFor('deprecated reading of user environment');
    expect(e['event.action']).toBeUndefined();
    expect(e.message).toBe('pam_env(sshd:session): deprecated reading of user environment enabled');
  });
});

describe('loghub sshd lines', () => {
  const lines = corpusLines('loghub', 'OpenSSH_2k.log');
  const parse = (l: string) => {
    const r = parseRecord(
      { text: l, origin: { type: 'file', path: 'x', line: 0 } },
      { timezone: 'UTC', maxRecordBytes: 1 << 20 },
      new Date('2026-12-31T00:00:00Z'),
    );
    return r.ok ? r.events : [];
  };
  it('every "Accepted" and "Failed password" line yields an ssh-login with a source address', () => {
    const logins = lines.filter(
      (l) => / (Accepted|Failed password) /.test(l) && !l.includes('message repeated'),
    );
    expect(logins.length).toBeGreaterThan(100);
    for (const l of logins) {
      const [e] = parse(l);
      expect(e?.['event.action'], l).toBe('ssh-login');
      expect(e?.['source.ip'], l).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    }
  });
});
