import { describe, expect, it } from 'vitest';
import { bindLogsource, type Logsource } from '../../../src/detect/sigma/logsource';
import { compile, event, ruleYaml } from './helpers';

describe('logsource binding', () => {
  const active: [Logsource, string[]][] = [
    [{ product: 'linux' }, ['syslog', 'auth']],
    [{ product: 'linux', service: 'auth' }, ['auth']],
    [{ product: 'linux', service: 'syslog' }, ['syslog', 'auth']],
    [{ product: 'linux', service: 'sshd' }, ['syslog', 'auth']],
    [{ product: 'linux', category: 'file_event' }, ['file_integrity']],
    [{ product: 'linux', category: 'file_change' }, ['file_integrity']],
    [{ product: 'linux', category: 'file_create' }, ['file_integrity']],
    [{ product: 'linux', category: 'network_connection' }, ['socket']],
    [{ product: 'linux', category: 'process_creation' }, ['process']],
    [{ category: 'process_creation' }, ['process']],
    [{ product: 'Linux', service: 'auth' }, ['auth']],
    [{ product: 'linux', service: 'auditd' }, ['auditd']],
  ];
  it.each(active)('%j sees %j', (ls, datasets) => {
    const b = bindLogsource(ls);
    expect(b.active).toBe(true);
    if (b.active) expect([...b.datasets].sort()).toEqual([...datasets].sort());
  });

  const inactive: [Logsource, RegExp][] = [
    [
      { product: 'linux', service: 'nginx' },
      /^logsource service nginx: tuxwatch ingests no nginx records \(Linux services it reads: /,
    ],
    [
      { product: 'windows', category: 'process_creation' },
      /product windows: tuxwatch ingests Linux evidence only/,
    ],
    [{ product: 'macos' }, /product macos: tuxwatch ingests Linux evidence only/],
    [{ product: 'plan9' }, /product plan9 is unknown to tuxwatch/],
    [{ product: 'linux', service: 'apache' }, /service apache: tuxwatch ingests no apache records/],
    [
      { product: 'linux', category: 'registry_event' },
      /category registry_event: tuxwatch has no such events/,
    ],
    [{ product: 'linux', category: 'file_event', service: 'sshd' }, /selects no tuxwatch event/],
  ];
  it.each(inactive)('%j is inactive: %s', (ls, reason) => {
    const b = bindLogsource(ls);
    expect(b.active).toBe(false);
    if (!b.active) expect(b.reason).toMatch(reason);
  });

  it('an inactive rule loads, with a located note, and never matches', () => {
    const set = compile(
      ruleYaml(`  sel:\n    type: EXECVE\n  condition: sel`, 'product: linux\n  service: apache'),
    );
    expect(set.rules).toHaveLength(0);
    expect(set.inactive).toHaveLength(1);
    expect(set.problems).toEqual([
      expect.objectContaining({
        severity: 'note',
        line: 6,
        col: 3,
        message: expect.stringMatching(/apache/),
      }),
    ]);
    const r = set.inactive[0]!;
    const e = event({ 'event.dataset': 'syslog', type: 'EXECVE' });
    expect(r.match(e)).toBe(false);
    expect(r.matchesDetection(e)).toBe(true);
  });

  const programs: [string, string, boolean][] = [
    ['sshd', 'sshd', true],
    ['sshd', 'sudo', false],
    ['cron', 'cron', true],
    ['cron', 'CRON', true],
    ['cron', 'crond', true],
    ['clamav', 'clamd', true],
    ['clamav', 'freshclam', true],
    ['guacamole', 'guacd', true],
    ['su', 'su', true],
    ['sudo', 'sudo', true],
    ['vsftpd', 'vsftpd', true],
  ];
  it.each(programs)('service %s sees program %s: %s', (service, program, expected) => {
    const set = compile(
      ruleYaml(`  keywords:\n    - 'x'\n  condition: keywords`, `product: linux\n  service: ${service}`),
    );
    const r = set.rules[0]!;
    expect(r.match(event({ 'event.dataset': 'syslog', 'process.name': program, message: 'x' }))).toBe(
      expected,
    );
    expect(r.match(event({ 'event.dataset': 'file_integrity', 'process.name': program, message: 'x' }))).toBe(
      false,
    );
  });

  it('network_connection sees connected sockets, not listeners', () => {
    const set = compile(
      ruleYaml(
        `  sel:\n    DestinationPort: 4444\n  condition: sel`,
        'product: linux\n  category: network_connection',
      ),
    );
    const r = set.rules[0]!;
    const e = event({
      'event.dataset': 'socket',
      'event.action': 'socket-connected',
      'destination.port': 4444,
    });
    expect(r.match(e)).toBe(true);
    expect(r.match({ ...e, 'event.action': 'socket-listening' })).toBe(false);
  });
});

describe('service programs and keywords', () => {
  const engineFor = (logsource: string, detection: string) =>
    compile(ruleYaml(detection, logsource)).rules[0]!;
  const matches = (r: ReturnType<typeof engineFor>, e: ReturnType<typeof event>): boolean => r.match(e);

  it('service sshd sees OpenSSH 9.8+ sshd-session lines, service cron sees crontab edits', () => {
    const sshd = engineFor('product: linux\n  service: sshd', "  k:\n    - 'Accepted'\n  condition: k");
    const line = (program: string, message: string) =>
      event({ 'event.dataset': 'auth', 'process.name': program, 'log.syslog.appname': program, message });
    expect(matches(sshd, line('sshd-session', 'Accepted publickey for root'))).toBe(true);
    expect(matches(sshd, line('sshd', 'Accepted publickey for root'))).toBe(true);
    expect(matches(sshd, line('sshd-auth', 'Accepted publickey for root'))).toBe(false);
    const cron = engineFor('product: linux\n  service: cron', "  k:\n    - 'REPLACE'\n  condition: k");
    expect(matches(cron, line('crontab', '(root) REPLACE (root)'))).toBe(true);
  });

  it('keywords see the program name beside the message; under |all each keyword may match either', () => {
    const pwnkit = engineFor(
      'product: linux\n  service: auth',
      "  keywords:\n    '|all':\n      - 'pkexec'\n      - 'XAUTHORITY contains suscipious content'\n  condition: keywords",
    );
    const e = event({
      'event.dataset': 'auth',
      'process.name': 'pkexec',
      'log.syslog.appname': 'pkexec',
      message: 'user: The value for environment variable XAUTHORITY contains suscipious content',
    });
    expect(matches(pwnkit, e)).toBe(true);
    expect(matches(pwnkit, { ...e, 'log.syslog.appname': 'sudo', 'process.name': 'sudo' })).toBe(false);
    // no message: the raw record, as before
    const raw = event({
      'event.dataset': 'auth',
      'event.original': 'pkexec: XAUTHORITY contains suscipious content',
    });
    expect(matches(pwnkit, raw)).toBe(true);
  });
});
