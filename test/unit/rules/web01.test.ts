import { describe, expect, it } from 'vitest';
import { corpusPath, SIGMA_LINUX } from '../../support/corpus';
import { CORE_RULES, scan, subject, summary, type AlertDoc } from './alerts';

const web01 = (file: string): AlertDoc[] =>
  scan(['--host', 'web01', '--timezone', 'Europe/Berlin', corpusPath('web01', file)]);

/** What each web01 evidence file must raise, and nothing more (suspicious-listener apart, see below). */
const AUTH_LOG = [
  'new-uid0-account tmpadmin',
  'new-uid0-account toor',
  // 3 "Invalid user admin" + 3 failed passwords for admin + 5 for root: 11 attempts, two windows of five
  'ssh-brute-force 127.0.0.1',
  'ssh-brute-force 127.0.0.1',
  'ssh-login-after-failures 127.0.0.1',
  'sudo-group-membership svc-backup',
  'sudo-group-membership tmpadmin',
];

const EXPECTED: Record<string, string[]> = {
  'auth.log': AUTH_LOG,
  'auth-iso8601.log': AUTH_LOG,
  'auth-rfc5424.log': AUTH_LOG,
  'all-rsyslog.jsonl': AUTH_LOG,
  syslog: [],
  'aide-report.json': [
    'account-database-change /etc/group',
    'account-database-change /etc/gshadow',
    'account-database-change /etc/passwd',
    'account-database-change /etc/shadow',
    'authorized-keys-change /home/svc-backup/.ssh/authorized_keys',
    'authorized-keys-change /root/.ssh/authorized_keys',
    'dev-regular-file /dev/.udev-cache',
    'hidden-directory /var/tmp/. ',
    'hosts-file-change /etc/hosts',
    'inittab-change /etc/inittab',
    'sudoers-change /etc/sudoers.d/99-svc-backup',
    'suid-sgid-creation /usr/local/bin/.rootsh',
    'suid-sgid-creation /usr/local/bin/healthcheck.sh',
    'timestomped-file /usr/local/bin/.rootsh',
  ],
  'ss-tunap.txt': ['masquerading-process-connection initd->203.0.113.50:1337'],
  'ss-tlnp.txt': [],
  'lsof-i.txt': ['masquerading-process-connection initd->203.0.113.50:1337'],
  'ps-auxww.txt': [],
};

const LISTENERS: Record<string, string[]> = {
  'ss-tunap.txt': ['nc.openbsd:1337', 'smbd:31337', 'smbd:8081'],
  'ss-tlnp.txt': ['nc.openbsd:1337', 'smbd:31337', 'smbd:8081'],
  'lsof-i.txt': ['nc.openbs:1337', 'smbd:31337', 'smbd:8081'],
};

describe('the bundled pack on web01, each file scanned with --host web01 --timezone Europe/Berlin', () => {
  const results = new Map(Object.keys(EXPECTED).map((f) => [f, web01(f)]));

  it.each(Object.keys(EXPECTED))('%s raises exactly the expected alerts', (file) => {
    const alerts = results.get(file)!.filter((a) => a.rule.id !== 'suspicious-listener');
    expect(summary(alerts)).toEqual(EXPECTED[file]);
  });

  it('the core rules never fire for the benign actions: alice, developers, report-gen, sshd:22, nginx:80', () => {
    const core = [...results.values()].flat().filter((a) => CORE_RULES.includes(a.rule.id));
    const subjects = core.map(subject);
    for (const benign of ['alice', 'developers', 'report-gen', 'sshd:22', 'nginx:80'])
      expect(subjects.filter((s) => s.includes(benign))).toEqual([]);
    for (const a of core) expect(a.user?.target?.name ?? a.user?.name).not.toBe('alice');
  });

  it('alerts carry the CONTRACT §2 fields and the rule metadata', () => {
    for (const a of [...results.values()].flat()) {
      expect(a).toMatchObject({ host: { name: 'web01' }, event: { kind: 'alert' } });
      expect(a['@timestamp']).toMatch(/Z$/);
      expect(a.rule.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(a.threat?.technique?.id?.length).toBeGreaterThan(0);
      expect(a.event.original.length).toBeGreaterThan(0);
    }
    const suid = results.get('aide-report.json')!.find((a) => a.rule.id === 'suid-sgid-creation')!;
    expect(suid).toMatchObject({ file: { mode: '4755' }, event: { severity: 73 } });
    const masq = results.get('ss-tunap.txt')!.find((a) => a.rule.id === 'masquerading-process-connection')!;
    expect(masq).toMatchObject({
      destination: { ip: '203.0.113.50', port: 1337 },
      process: { name: 'initd' },
    });
  });

  it('the ssh correlations count the failures they fired on', () => {
    const brute = results.get('auth.log')!.find((a) => a.rule.id === 'ssh-brute-force')!;
    expect(brute.tuxwatch.related?.count).toBe(5);
    const after = results.get('auth.log')!.find((a) => a.rule.id === 'ssh-login-after-failures')!;
    expect(after.event.original).toContain('Accepted publickey for root');
  });

  it('suspicious-listener: the smbd listeners on 8081 and 31337 and netcat on 1337, per file', () => {
    for (const [file, listeners] of Object.entries(LISTENERS)) {
      const got = results.get(file)!.filter((a) => a.rule.id === 'suspicious-listener');
      expect(got.map(subject).sort(), file).toEqual(listeners);
    }
  });

  it('the plain-text AIDE report raises what the JSON one does', () => {
    expect(summary(web01('aide-report.txt'))).toEqual(EXPECTED['aide-report.json']);
  });
});

describe('SigmaHQ rules run beside the pack', () => {
  it('lnx_privileged_user_creation fires on the web01 auth log for toor', () => {
    const alerts = scan([
      '--rules',
      'detections',
      '--rules',
      SIGMA_LINUX,
      '--host',
      'web01',
      '--timezone',
      'Europe/Berlin',
      corpusPath('web01', 'auth.log'),
    ]);
    const sigma = alerts.filter((a) => a.rule.id === 'lnx_privileged_user_creation');
    expect(sigma.map((a) => a.user?.target?.name)).toEqual(['toor']);
    expect(sigma[0]!.rule.uuid).toBe('0ac15ec3-d24f-4246-aa2a-3077bb1cf90e');
  });
});
