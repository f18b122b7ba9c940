import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../../src/parse/parse-record';
import { eventOf, expectFacts, fixtureLines, lineEndingWith } from './auth-lines';

const wazuh = (message: string) => lineEndingWith('wazuh-ruleset.log', message);

describe('syslog framings seen on auth lines', () => {
  it('Solaris `[ID n facility.level]` before the message: message id and priority, then the sshd semantics', () => {
    expectFacts(wazuh('[ID 800047 auth.notice] Failed none for root from 192.168.1.1 port 36942 ssh2'), {
      'log.syslog.msgid': 'ID 800047',
      'log.syslog.facility.name': 'auth',
      'log.syslog.severity.name': 'notice',
      'event.action': 'ssh-login',
      'source.ip': '192.168.1.1',
      message: 'Failed none for root from 192.168.1.1 port 36942 ssh2',
    });
  });

  it('`YYYY-MM-DD HH:MM:SS.ffffff-hhmm  host` lines are syslog with their own offset', () => {
    expectFacts(
      wazuh('localhost sshd[3186]: error: PAM: unknown user for illegal user badguy from 192.168.33.1'),
      {
        '@timestamp': '2020-03-23T13:47:42.801Z',
        'host.name': 'localhost',
        'event.action': 'ssh-pam-failure',
      },
    );
  });

  it('a yearless `Feb 29` read in a non-leap year is dated to the last leap year', () => {
    const e = eventOf(wazuh('doas: failed auth for ddp'));
    expect(e['@timestamp']).toBe('2024-02-29T14:58:39.000Z');
    // and one in the future of a leap "now" goes back to the leap year before
    const r = parseRecord(
      { text: 'Feb 29 14:58:39 ix doas: failed auth for ddp', origin: { type: 'file', path: 'x', line: 0 } },
      { timezone: 'UTC', maxRecordBytes: 1 << 20 },
      new Date('2028-02-01T00:00:00Z'),
    );
    expect(r.ok && r.events[0]!['@timestamp']).toBe('2024-02-29T14:58:39.000Z');
  });
});

/**
 * Third-party check: every line of Wazuh's sshd/su/sudo/pam/doas/dropbear test cases and decoder samples
 * (test/fixtures/auth/wazuh-ruleset.log, the 132 distinct lines; issue 11's "148" counted the test cases as they
 * repeat across Wazuh's files). Those that say something about authentication, sessions or probes get an
 * `event.action`; the ones listed below are daemon noise (channel errors, bind failures, MAC errors) that
 * tuxwatch leaves as plain messages on purpose.
 */
const NOT_AUTH = [
  /Bad packet length|Corrupted MAC|debug1:|Could not (stat|load)|Bind to port|Cannot bind|accept: Software|buffer_get_bignum2|connect(_| )to|setsockopt|Write failed|pam_setcred|pam_ldap|set_loginuid|Failed to create session|subsystem request|: User root from 12\.3\.4\.5$/,
];
/**
 * Connection events with no outcome to tell (DNS warnings, ends named by address or after login), unless the
 * connection was still `authenticating user U` or `invalid user U`: then its login failed.
 */
const NO_OUTCOME = new Set([
  'ssh-connection-closed',
  'ssh-connection-reset',
  'ssh-disconnected',
  'ssh-disconnect-received',
  'ssh-reverse-dns-mismatch',
]);
/** Lines that name no account (so `user.name` cannot be filled): probes, DNS, PAM without `user=`, groups. */
const NAMES_NO_ACCOUNT =
  /Read error from|Disconnecting: |Unable to negotiate|Authentication refused|maps to|reverse mapping|Connection closed by [\d.]+( port \d+)?( \[preauth\])?$|Received disconnect from [\d.]+:|identification|scanned from|check pass; user unknown|nonexistent user from|rhost=[\d.]+$|new group:/;

describe('Wazuh ruleset samples (third-party lines nobody on this project wrote)', () => {
  const lines = fixtureLines('wazuh-ruleset.log').filter((l) => !l.startsWith('{'));
  it('every auth line is parsed and understood; only listed daemon noise stays a plain message', () => {
    const misses: string[] = [];
    for (const line of lines) {
      const e = eventOf(line);
      const action = e['event.action'];
      const noise = NOT_AUTH.some((re) => re.test(line));
      if ((typeof action === 'string') === noise)
        misses.push(`${noise ? 'noise understood' : 'missed'}: ${line}`);
      if (typeof action !== 'string') continue;
      const outcome = !NO_OUTCOME.has(action) || /(authenticating|invalid) user /.test(line);
      if ((typeof e['event.outcome'] === 'string') !== outcome)
        misses.push(`outcome ${String(e['event.outcome'])} for ${action}: ${line}`);
      if ((typeof e['user.name'] === 'string') === NAMES_NO_ACCOUNT.test(line))
        misses.push(`user ${String(e['user.name'])}: ${line}`);
    }
    expect(misses).toEqual([]);
  });

  it('the measure docs/auth-messages.md gives: 74 of 132 with action, outcome and user (33 at b404a64)', () => {
    const count = (has: (e: Record<string, unknown>) => boolean) => lines.map(eventOf).filter(has).length;
    const str = (v: unknown) => typeof v === 'string';
    expect(lines).toHaveLength(132);
    expect(count((e) => str(e['event.action']))).toBe(103);
    expect(count((e) => str(e['event.action']) && str(e['event.outcome']))).toBe(95);
    expect(count((e) => str(e['event.action']) && str(e['event.outcome']) && str(e['user.name']))).toBe(74);
  });
});
