import { describe, expect, it } from 'vitest';
import { decodeValue, splitFields } from '../../../src/parse/audit/audit-fields';
import { looksLikeAuditLine, parseAuditLine, type AuditRecord } from '../../../src/parse/audit/audit-line';
import { value } from '../../../src/parse/audit/audit-view';
import { db03Audit, db03Syslog, kernelLog, lineWith, web02Audit } from './audit-evidence';

function record(line: string): AuditRecord {
  const r = parseAuditLine(line);
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

describe('audit record lines, in every form they are written', () => {
  it('auditd RAW with node=: type, time, serial, fields as written', () => {
    const line = lineWith(web02Audit(), 'type=SYSCALL', 'comm="useradd"');
    const r = record(line);
    expect(r).toMatchObject({ type: 'SYSCALL', typeNumber: 1300, node: 'web02' });
    expect(r.id).toMatch(/^\d{10}\.\d{3}:\d+$/);
    expect(r.time).toBe(Number(r.id.split(':')[0]) * 1000);
    expect(value(r, 'comm')).toBe('useradd');
    expect(value(r, 'exe')).toBe('/usr/sbin/useradd');
    expect(r.interpreted).toEqual([]);
    expect(r.line).toBe(line);
  });

  it('ENRICHED: the resolved names after 0x1d are kept apart', () => {
    const line = lineWith(db03Audit(), 'type=SYSCALL', 'comm="useradd"');
    expect(line).toContain('\u001d');
    const r = record(line);
    expect(value(r, 'uid')).toBe('0');
    expect(r.interpreted.find((f) => f.name === 'ARCH')?.raw).toBe('x86_64');
    expect(r.interpreted.find((f) => f.name === 'SYSCALL')?.raw).toBe('execve');
    expect(r.fields.some((f) => f.name === 'UID')).toBe(false);
  });

  it('the syslog plugin relay (audisp-syslog): same record, 0x1d written as a space, relay host kept', () => {
    const relayed = record(lineWith(db03Syslog(), 'audisp-syslog: node=db03 type=SYSCALL', 'comm="useradd"'));
    const direct = record(lineWith(db03Audit(), 'type=SYSCALL', 'comm="useradd"'));
    expect(relayed.id).toBe(direct.id);
    expect(relayed.node).toBe('db03');
    expect(relayed.relayHost).toBe('vm');
    expect(relayed.fields).toEqual(direct.fields);
    expect(relayed.interpreted).toEqual(direct.interpreted);
  });

  it.each(['kern.log', 'kern-iso8601.log', 'dmesg.txt'] as const)(
    'the kernel log (%s): numeric types are named, no node',
    (file) => {
      const r = record(lineWith(kernelLog(file), 'type=1309 '));
      expect(r).toMatchObject({ type: 'EXECVE', typeNumber: 1309 });
      expect(r.node).toBeUndefined();
      const user = record(lineWith(kernelLog(file), 'type=1114 '));
      expect(user.type).toBe('ADD_USER');
      expect(value(user, 'op')).toBe('adding user');
      expect(value(user, 'id')).toBe('0');
    },
  );

  it('a kernel log line that is not a record is not read as one', () => {
    const line = lineWith(kernelLog('kern.log'), 'initializing netlink subsys');
    expect(looksLikeAuditLine(line)).toBe(false);
    expect(parseAuditLine(line).ok).toBe(false);
  });

  it("user-space records: msg='…' is replaced by its fields; op= keeps its spaces", () => {
    const r = record(lineWith(web02Audit(), 'type=USER_CHAUTHTOK', 'op=adding user to group'));
    expect(value(r, 'op')).toBe('adding user to group');
    expect(value(r, 'acct')).toBe('backupsvc');
    expect(value(r, 'exe')).toBe('/usr/sbin/usermod');
    expect(value(r, 'res')).toBe('success');
    expect(value(r, 'pid')).toMatch(/^\d+$/);
    const empty = record(lineWith(web02Audit(), "msg='op= id=1004"));
    expect(value(empty, 'op')).toBe('');
    expect(value(empty, 'id')).toBe('1004');
  });

  it('hex-encoded values are decoded: EXECVE arguments, acct, proctitle', () => {
    const touch = record(lineWith(web02Audit(), 'type=EXECVE', 'a0="touch" a1="-d"'));
    expect(value(touch, 'a2')).toBe('2019-01-01 03:04:05');
    const invalid = record(lineWith(web02Audit(), 'type=USER_LOGIN', 'acct=28696E76616C6964207573657229'));
    expect(value(invalid, 'acct')).toBe('(invalid user)');
    const title = record(lineWith(web02Audit(), 'type=PROCTITLE', 'proctitle=746F756368002D64'));
    expect(value(title, 'proctitle')).toBe(
      'touch\u0000-d\u00002019-01-01 03:04:05\u0000/usr/local/bin/.rootsh',
    );
    // SYSCALL's a0-a3 are numbers in hex, not text
    const syscall = record(lineWith(web02Audit(), 'type=SYSCALL', 'comm="touch"', 'syscall=280'));
    expect(value(syscall, 'a2')).toMatch(/^[0-9a-f]+$/);
  });

  it('(null), (none) and ? stay as written', () => {
    expect(decodeValue('(null)', true)).toBe('(null)');
    expect(decodeValue('(none)', false)).toBe('(none)');
    expect(decodeValue('?', true)).toBe('?');
    expect(splitFields('key=(null) tty=(none) hostname=?').map((f) => f.raw)).toEqual([
      '(null)',
      '(none)',
      '?',
    ]);
  });

  it('rejects what is not an audit record, with a reason', () => {
    for (const line of [
      'Nov 27 15:12:33 web02 useradd[32300]: new user: name=r00t, UID=0',
      'type=SYSCALL msg=audit(notatime): arch=c000003e',
      'node=web02 type=SYSCALL msg=audit(1795792322.534:4412): a\nb',
    ]) {
      const r = parseAuditLine(line);
      expect(r.ok, line).toBe(false);
    }
  });

  it('sniffs each form, and no syslog line that only mentions audit', () => {
    expect(looksLikeAuditLine(web02Audit()[0]!)).toBe(true);
    expect(looksLikeAuditLine(db03Syslog().find((l) => l.includes('type=PATH'))!)).toBe(true);
    expect(looksLikeAuditLine(lineWith(kernelLog('kern.log'), 'type=1300'))).toBe(true);
    expect(looksLikeAuditLine(lineWith(kernelLog('dmesg.txt'), 'type=1300'))).toBe(true);
    expect(looksLikeAuditLine(lineWith(db03Syslog(), 'syslog plugin initialized'))).toBe(false);
    expect(looksLikeAuditLine('Nov 27 15:12:33 web02 sshd[1]: audit(1.2:3) is not a record')).toBe(false);
  });
});
