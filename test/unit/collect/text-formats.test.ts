import { describe, expect, it } from 'vitest';
import { parseAuthorizedKeys } from '../../../src/collect/parsers/authorized-keys';
import { parseVerifyOutput } from '../../../src/collect/parsers/package-verify';
import { parseSudoers } from '../../../src/collect/parsers/sudoers';
import { collectText } from './fixtures';

describe('authorized_keys as sshd reads it', () => {
  const parsed = parseAuthorizedKeys(collectText('ssh/authorized_keys'));

  it('fingerprints are the ones ssh-keygen -l prints', () => {
    const expected = collectText('ssh/ssh-keygen-l.txt')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1]);
    expect(parsed.keys.map((k) => k.fingerprint)).toEqual(expected);
    expect(parsed.keys.map((k) => k.type)).toEqual(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256']);
  });

  it('options: command= with escaped quotes, from= with its comma list, the rest as written', () => {
    const deploy = parsed.keys[1]!;
    expect(deploy.command).toBe('/usr/local/bin/backup --from "db"');
    expect(deploy.from).toBe('10.0.0.0/8,!10.0.0.9');
    expect(deploy.options).toHaveLength(3);
    expect(deploy.comment).toBe('x@kali');
    expect(parsed.keys[2]!.options).toEqual(['restrict', 'port-forwarding']);
  });

  it('a line with no readable key is a problem with its number; comments and blanks are not', () => {
    expect(parsed.problems).toEqual(['line 6: key is not base64']);
  });
});

describe('sudoers', () => {
  it("Debian's /etc/sudoers: root and %sudo may run anything, with a password; sudoers.d is included", () => {
    const f = parseSudoers(collectText('sudoers/debian-bookworm-sudoers'));
    expect(f.problems).toEqual([]);
    expect(f.rules.map((r) => [r.users, r.runas, r.commands, r.nopasswd])).toEqual([
      [['root'], ['ALL:ALL'], ['ALL'], false],
      [['%sudo'], ['ALL:ALL'], ['ALL'], false],
    ]);
    expect(f.includes.map((i) => [i.path, i.dir])).toEqual([['/etc/sudoers.d', true]]);
  });

  it("sudo's own sample: aliases expanded, NOPASSWD and Defaults !authenticate flagged, host groups split", () => {
    const f = parseSudoers(collectText('sudoers/sudo-examples-sudoers.in'));
    expect(f.problems).toEqual([]);
    const by = (user: string) => f.rules.filter((r) => r.users.includes(user));
    expect(by('millert').map((r) => [r.tags, r.nopasswd])).toEqual([
      [['!authenticate'], true],
      [['NOPASSWD'], true],
    ]);
    expect(by('bostley')[0]).toMatchObject({ commands: ['ALL'], nopasswd: false });
    expect(by('bob').map((r) => [r.hosts, r.runas, r.commands])).toEqual([
      [['bigtime', 'eclipse', 'moet', 'anchor'], ['OP'], ['ALL']],
      [['grolsch', 'dandelion', 'black'], ['OP'], ['ALL']],
    ]);
    expect(by('operator')[0]!.commands).toContain(
      'sha224:0GomF8mNN3wlDt1HD9XldjJ3SNgpFdbjO1+NsQ== /home/operator/bin/start_backups',
    );
    expect(by('fred')[0]).toMatchObject({ runas: ['DB'], nopasswd: true });
    expect(by('ALL')[0]).toMatchObject({
      nopasswd: true,
      commands: ['/sbin/umount /CDROM', '/sbin/mount -o nosuid,nodev /dev/cd0a /CDROM'],
    });
    expect(by('jill')[0]!.commands).toEqual([
      '/usr/bin/',
      '!/usr/bin/su',
      '!/sbin/sh',
      '!/usr/bin/sh',
      '!/usr/bin/csh',
      '!/usr/bin/ksh',
      '!/usr/local/bin/tcsh',
      '!/usr/bin/rsh',
      '!/usr/local/bin/zsh',
    ]);
    expect(f.includes.map((i) => i.path)).toEqual(['@sysconfdir@/sudoers.d']);
  });
});

describe('dpkg --verify and rpm -Va', () => {
  it("dpkg 1.21's lines: checksum of a binary and of a conffile, a missing file", () => {
    expect(parseVerifyOutput(collectText('packages/dpkg-verify.txt'))).toEqual({
      lines: [
        { path: '/usr/bin/who', conffile: false, missing: false, failed: ['checksum'] },
        { path: '/usr/bin/sudoreplay', conffile: false, missing: true, failed: [] },
        { path: '/etc/login.defs', conffile: true, missing: false, failed: ['checksum'] },
      ],
      problems: [],
    });
  });

  it("rpm's lines: every check letter, attributes, dependency lines skipped", () => {
    const { lines, problems } = parseVerifyOutput(collectText('packages/rpm-verify.txt'));
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      {
        path: '/usr/local/bin/hello',
        conffile: false,
        missing: false,
        failed: ['mode', 'checksum', 'mtime'],
      },
      { path: '/usr/share/doc/hello-1.0/FAQ', conffile: false, missing: true, failed: [] },
      { path: '/opt/foo', conffile: false, missing: false, failed: ['link'] },
      { path: '/opt/vattrtest/a', conffile: false, missing: false, failed: [] },
      { path: '/opt/vattrtest/c', conffile: true, missing: false, failed: [] },
    ]);
  });
});
