import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import type { ParseContext } from '../../../src/domain/parser';
import { AuditStream } from '../../../src/parse/audit/audit-stream';
import { decodeSockaddr } from '../../../src/parse/audit/sockaddr';
import { auditArch, syscallName } from '../../../src/parse/audit/syscalls';
import { looksLikeAuditLine } from '../../../src/parse/audit/audit-line';
import { auditdParser } from '../../../src/parse/parsers/auditd';
import { AUDIT_FIXTURES, db03Audit, eventLines, kernelLog, lineWith, web02Audit } from './audit-evidence';

const ctx: ParseContext = { timezone: 'UTC', now: new Date('2026-11-28T00:00:00Z') };

function parse(lines: readonly string[]): SiemEvent[] {
  const out = auditdParser.parse(lines.join('\n'), ctx);
  if (!out.ok) throw new Error(out.reason);
  return [...out.events];
}

/** Runs a whole log through one stream, as scan does, and returns every event. */
function stream(lines: readonly string[]): SiemEvent[] {
  const s = new AuditStream<number>();
  const out: SiemEvent[] = [];
  lines.forEach((l, i) => {
    const o = s.add(l, i, ctx);
    if (!o.ok) throw new Error(o.reason);
    out.push(...o.events);
  });
  return [...out, ...s.flush()];
}

const semantic = (events: readonly SiemEvent[]) => events.filter((e) => e['event.dataset'] !== 'auditd');
const idOf = (line: string): string => /audit\(([^)]+)\)/.exec(line)![1]!;

describe('audit events as ECS', () => {
  it('an exec is a process start: image, arguments, command line, cwd, parent pid, users, login uid, session', () => {
    const lines = web02Audit();
    const exec = eventLines(lines, idOf(lineWith(lines, 'a0="useradd" a1="-o"')));
    const [start] = semantic(parse(exec));
    expect(start).toMatchObject({
      '@timestamp': '2026-11-27T15:12:33.854Z',
      'event.module': 'auditd',
      'event.dataset': 'process',
      'event.category': ['process'],
      'event.type': ['start'],
      'event.action': 'executed',
      'host.name': 'web02',
      'process.executable': '/usr/sbin/useradd',
      'process.name': 'useradd',
      'process.args': ['useradd', '-o', '-u', '0', '-g', '0', '-M', '-d', '/root', '-s', '/bin/bash', 'r00t'],
      'process.command_line': 'useradd -o -u 0 -g 0 -M -d /root -s /bin/bash r00t',
      'process.working_directory': '/',
      'user.id': '0',
      'user.effective.id': '0',
      'user.saved.id': '0',
      'group.id': '0',
      'user.audit.id': '1000',
      'auditd.session': '4',
      tags: ['exec'],
    });
    expect(typeof start!['process.pid']).toBe('number');
    expect(typeof start!['process.parent.pid']).toBe('number');
    expect(start!['event.original']).toBe(exec.join('\n'));
  });

  it('an unset login uid and session (4294967295) are left out', () => {
    const lines = web02Audit();
    const daemon = eventLines(
      lines,
      idOf(lineWith(lines, 'type=SYSCALL', 'auid=4294967295', 'comm="auditctl"')),
    );
    const records = parse(daemon).filter((e) => e['event.dataset'] === 'auditd');
    expect(records[0]!['auid']).toBe('4294967295');
    const view = stream(daemon);
    for (const e of semantic(view)) {
      expect(e['user.audit.id']).toBeUndefined();
      expect(e['auditd.session']).toBeUndefined();
    }
  });

  it('ENRICHED names fill the user names', () => {
    const lines = db03Audit();
    const [start] = semantic(parse(eventLines(lines, idOf(lineWith(lines, 'a0="useradd" a1="-o"')))));
    // names as auditd resolved them on the capturing machine (its uid 1000 is `cloudsdk`)
    expect(start).toMatchObject({ 'user.name': 'root', 'user.audit.name': 'cloudsdk', 'group.name': 'root' });
  });

  it('exit_group is the process end', () => {
    const lines = db03Audit();
    const [end] = semantic(parse(eventLines(lines, idOf(lineWith(lines, 'syscall=231', 'comm="hostname"')))));
    expect(end).toMatchObject({ 'event.type': ['end'], 'event.action': 'exited', 'process.exit_code': 0 });
  });

  it('chmod 4755 and chmod u+s: the new mode from the syscall, the old one from PATH', () => {
    const lines = web02Audit();
    const [rootsh] = semantic(
      parse(eventLines(lines, idOf(lineWith(lines, 'name="/usr/local/bin/.rootsh"', 'nametype=NORMAL')))),
    );
    expect(rootsh).toMatchObject({
      'event.dataset': 'file_integrity',
      'event.action': ['attributes_modified'],
      'event.type': ['change'],
      'file.path': '/usr/local/bin/.rootsh',
      'file.mode': '4755',
      'file.setuid': true,
      'file.type': 'file',
      'tuxwatch.file.previous.mode': '0755',
      'tuxwatch.file.previous.setuid': false,
      'process.name': 'chmod',
    });
    // chmod u+s: coreutils works the mode out and passes it to fchmodat as a number
    const healthcheck = semantic(stream(lines)).filter(
      (e) => e['file.path'] === '/usr/local/bin/healthcheck.sh' && e['process.name'] === 'chmod',
    );
    expect(healthcheck.map((e) => [e['tuxwatch.file.previous.mode'], e['file.mode']])).toEqual([
      ['0644', '0755'],
      ['0755', '4755'],
    ]);
  });

  it('touch -d puts a time in the past: mtime from its command, ctime the event time', () => {
    const events = semantic(stream(web02Audit()));
    const stomp = events.find(
      (e) => e['file.path'] === '/usr/local/bin/.rootsh' && e['process.name'] === 'touch',
    );
    expect(stomp).toMatchObject({
      'file.mtime': '2019-01-01T03:04:05.000Z',
      'file.ctime': '2026-11-27T15:12:35.578Z',
      'tuxwatch.file.changed': ['mtime', 'atime'],
      'event.action': ['attributes_modified'],
    });
  });

  it('bind to a port is a listener, connect a connection, with the process', () => {
    const events = semantic(stream(web02Audit()));
    const listeners = events.filter((e) => e['event.action'] === 'socket-listening');
    expect(listeners.map((e) => `${e['process.name']} ${e['server.ip']}:${e['server.port']}`)).toEqual(
      expect.arrayContaining(['smbd 0.0.0.0:4444', 'smbd 0.0.0.0:6667', 'nc.openbsd 203.0.113.9:8443']),
    );
    const initd = events.find(
      (e) => e['event.action'] === 'socket-connected' && e['process.name'] === 'initd',
    );
    expect(initd).toMatchObject({
      'event.dataset': 'socket',
      'network.direction': 'outbound',
      'network.type': 'ipv4',
      'destination.ip': '203.0.113.9',
      'destination.port': 8443,
    });
  });

  it('account records: the account from the command of the same pid when the record names only id=', () => {
    const events = semantic(stream(web02Audit())).filter((e) => e['event.category']?.toString() === 'iam');
    const by = (action: string) => events.filter((e) => e['event.action'] === action);
    expect(by('user-created').map((e) => [e['user.target.name'], e['user.target.id']])).toEqual([
      ['jdoe', '1001'],
      ['r00t', '0'],
      ['backupsvc', '1002'],
      ['helpdesk', '1003'],
    ]);
    expect(by('user-created')[1]).toMatchObject({
      'group.id': '0',
      'process.name': 'useradd',
      'user.name': 'r00t',
    });
    expect(
      by('user-added-to-group').map((e) => [e['user.target.name'], e['group.name'], e['process.name']]),
    ).toEqual([
      ['backupsvc', 'sudo', 'usermod'],
      ['helpdesk', 'sudo', 'gpasswd'],
      ['jdoe', 'developers', 'usermod'],
    ]);
    expect(by('user-added-to-shadow-group')).toHaveLength(2);
    expect(by('user-uid-changed').map((e) => [e['user.target.name'], e['user.target.id']])).toEqual([
      ['helpdesk', '0'],
    ]);
    expect(by('password-changed').map((e) => e['user.target.name'])).toEqual(['jdoe']);
    expect(by('group-created').map((e) => e['group.name'])).toEqual(
      expect.arrayContaining(['jdoe', 'developers']),
    );
    for (const e of events) expect(e['process.executable']).toBeUndefined();
  });

  it('authentication and session records keep their own actions, not the auth log’s', () => {
    const events = semantic(stream(web02Audit())).filter((e) => e['event.dataset'] === 'auth');
    const failed = events.filter(
      (e) => e['event.action'] === 'authenticated' && e['event.outcome'] === 'failure',
    );
    expect(failed.map((e) => e['user.name'])).toEqual([
      'admin',
      'admin',
      'admin',
      'root',
      'root',
      'root',
      'root',
      'root',
    ]);
    expect(failed[0]).toMatchObject({
      'source.ip': '127.0.0.1',
      'process.name': 'sshd',
      'event.category': ['authentication'],
    });
    expect(events.some((e) => e['event.action'] === 'ssh-login')).toBe(false);
    const sessions = events.filter((e) => e['event.action'] === 'started-session');
    expect(sessions.map((e) => e['user.name'])).toEqual(['root', 'jdoe', 'jdoe', 'root']);
  });

  it('the kernel log gives the same ECS events as auditd’s (what the printk limit left of them)', () => {
    const events = semantic(stream(kernelLog('kern.log').filter(looksLikeAuditLine)));
    expect(events.find((e) => e['event.action'] === 'user-created')).toMatchObject({
      'user.target.name': 'kroot',
      'user.target.id': '0',
      'host.name': 'vm',
    });
    expect(events.find((e) => e['file.setuid'] === true)).toMatchObject({
      'process.name': 'chmod',
      'file.mode': '4644',
    });
  });
});

describe('audit records from other projects (test/fixtures/auditd/upstream)', () => {
  const upstream = (file: string) =>
    readFileSync(resolve(AUDIT_FIXTURES, 'upstream', file), 'utf8')
      .split('\n')
      .filter((l) => l !== '');

  it('audit 2’s audispd relay with objtype= PATH records: a web server’s exec in /var/www/html', () => {
    const events = parse(upstream('uauditanalyzer-audispd.log'));
    expect(events.filter((e) => e['event.dataset'] === 'auditd')).toHaveLength(6);
    expect(semantic(events)).toEqual([
      expect.objectContaining({
        'host.name': 'vnode03.vuln',
        '@timestamp': '2020-03-27T06:37:34.568Z',
        'event.action': 'executed',
        'process.executable': '/usr/bin/ps',
        'process.working_directory': '/var/www/html',
        'process.title': 'ps',
        'user.id': '48',
        tags: ['L5_EXEC_BIN'],
      }),
    ]);
  });

  it('aarch64 and i386 syscalls are named on the records that carry them (SYSCALL, SECCOMP)', () => {
    const [linkat] = parse(upstream('go-libaudit-aarch64-linkat.log'));
    expect(linkat).toMatchObject({ type: 'SYSCALL', syscall: '37', SYSCALL: 'linkat', ARCH: 'aarch64' });
    const [seccomp] = parse(upstream('go-libaudit-i386-seccomp.log'));
    expect(seccomp).toMatchObject({ type: 'SECCOMP', syscall: '132', SYSCALL: 'getpgid', ARCH: 'i386' });
  });
});

describe('audit decoders', () => {
  it('SOCKADDR: IPv4, IPv6, unix path, abstract socket, netlink', () => {
    expect(decodeSockaddr('020015B3000000000000000000000000')).toEqual({
      family: 'inet',
      ip: '0.0.0.0',
      port: 5555,
    });
    expect(decodeSockaddr('0A000016000000000000000000000000000000000000000000000000')).toEqual({
      family: 'inet6',
      ip: '::',
      port: 22,
    });
    expect(decodeSockaddr('0A0001BB0000000020010DB8000000000000000000000001000000000000')).toMatchObject({
      ip: '2001:db8::1',
      port: 443,
    });
    expect(decodeSockaddr('0A0001BB0000000000000000000000000000FFFFC633640900000000')).toMatchObject({
      ip: '::ffff:198.51.100.9',
    });
    expect(decodeSockaddr('01002F6465762F6C6F6700000000')).toEqual({ family: 'local', path: '/dev/log' });
    expect(decodeSockaddr('0100006162630000')).toEqual({ family: 'local', path: '@abc' });
    expect(decodeSockaddr('100000000000000000000000')).toMatchObject({ family: 'netlink' });
    expect(decodeSockaddr('zz')).toBeUndefined();
  });

  it('syscall numbers are named per architecture (audit userspace tables)', () => {
    expect(auditArch('c000003e')).toBe('x86_64');
    expect(auditArch('40000003')).toBe('i386');
    expect(auditArch('C00000B7')).toBe('aarch64');
    expect(syscallName('x86_64', '59')).toBe('execve');
    expect(syscallName('x86_64', '268')).toBe('fchmodat');
    expect(syscallName('i386', '11')).toBe('execve');
    expect(syscallName('i386', '102')).toBe('socketcall');
    expect(syscallName('aarch64', '221')).toBe('execve');
    expect(syscallName('aarch64', '53')).toBe('fchmodat');
    expect(syscallName('aarch64', '200')).toBe('bind');
    expect(syscallName(undefined, '59')).toBeUndefined();
    expect(syscallName('x86_64', '99999')).toBeUndefined();
  });
});
