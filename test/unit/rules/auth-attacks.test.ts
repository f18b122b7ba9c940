import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusLines } from '../../support/corpus';
import { fixtureLines } from '../parse/auth/auth-lines';
import { scan, type AlertDoc } from './alerts';

const LAB = join(__dirname, '../../fixtures/auth/lab-auth.log');

function scanLines(lines: string[]): AlertDoc[] {
  const file = join(mkdtempSync(join(tmpdir(), 'tw-auth-')), 'auth.log');
  writeFileSync(file, lines.join('\n') + '\n');
  return scan(['--timezone', 'UTC', file]);
}

const ids = (alerts: AlertDoc[]) => alerts.map((a) => `${a.rule.id} ${a.source?.ip ?? ''}`.trim());

describe('brute force, spraying and probes on auth lines nobody on this project wrote', () => {
  it('a burst of invalid-user probes from one address fires ssh-brute-force (Wazuh sshd.ini, 8 × Invalid user)', () => {
    const burst = fixtureLines('wazuh-ruleset.log').filter((l) =>
      l.includes('Invalid user user from 212.64.151.233'),
    );
    const lines = Array.from({ length: 8 }, () => burst[0]!);
    const alerts = scanLines(lines);
    expect(ids(alerts)).toContain('ssh-brute-force 212.64.151.233');
    expect(ids(alerts)).not.toContain('password-spraying 212.64.151.233');
  });

  it("probes alone, each a name from a list: a real scanner's `Invalid user` burst fires ssh-brute-force and password-spraying (loghub OpenSSH_2k)", () => {
    // 187.141.143.180 walked a list of account names on a real server (LabSZ). Only its `Invalid user` lines and
    // their pre-8.0 `input_userauth_request` twins (same sshd pid) are kept: not one `Failed …` line
    const lines = corpusLines('loghub', 'OpenSSH_2k.log');
    const pid = (l: string) => /sshd\[(\d+)\]/.exec(l)?.[1];
    const invalid = lines.filter((l) => / Invalid user \S+ from 187\.141\.143\.180\r?$/.test(l));
    const pids = new Set(invalid.map(pid));
    const twins = lines.filter((l) => l.includes('input_userauth_request: invalid user') && pids.has(pid(l)));
    expect(invalid.length).toBeGreaterThanOrEqual(10);
    expect(twins.length).toBeGreaterThanOrEqual(10);
    const probes = lines.filter((l) => invalid.includes(l) || twins.includes(l));

    const alerts = scanLines(probes);
    const brute = alerts.filter((a) => a.rule.id === 'ssh-brute-force');
    expect(new Set(brute.map((a) => a.source?.ip))).toEqual(new Set(['187.141.143.180']));
    // each probe counts once (its twin names no address and is not an attempt): the first window of five
    // consecutive probes fires with five, not ten
    expect(brute[0]!.tuxwatch.related?.count).toBe(5);
    const spraying = alerts.filter((a) => a.rule.id === 'password-spraying');
    expect(new Set(spraying.map((a) => a.source?.ip))).toEqual(new Set(['187.141.143.180']));
    // four probes are no burst
    expect(scanLines(invalid.slice(0, 4)).map((a) => a.rule.id)).toEqual([]);
  });

  it('attempts spread over accounts from one address fire password-spraying and ssh-brute-force (lab sshd 9.2p1)', () => {
    const alerts = scan(['--timezone', 'UTC', LAB]);
    const spraying = alerts.filter((a) => a.rule.id === 'password-spraying');
    expect(spraying.map((a) => a.source?.ip)).toContain('127.0.0.1');
    expect(alerts.some((a) => a.rule.id === 'ssh-brute-force' && a.source?.ip === '127.0.0.1')).toBe(true);
    // a success after failures from the same address still fires
    expect(alerts.some((a) => a.rule.id === 'ssh-login-after-failures' && a.user?.name === 'dave')).toBe(
      true,
    );
  });

  it('failures that name no account count per address, never as one nameless account (Wazuh dropbear decoder sample)', () => {
    const nameless = fixtureLines('wazuh-ruleset.log').find((l) =>
      l.endsWith('Login attempt for nonexistent user from 182.72.89.122:4328'),
    )!;
    const alerts = scanLines(Array.from({ length: 12 }, () => nameless));
    expect(ids(alerts)).toContain('ssh-brute-force 182.72.89.122');
    expect(alerts.filter((a) => a.rule.id === 'account-brute-force')).toEqual([]);
  });

  it("PAM's repeat line weighs its count: one failure and '4 more' from a remote login are five attempts", () => {
    // util-linux 2.38.1 login -h 192.0.2.7 with five wrong passwords (lab-more.log): pam_unix logs the first
    // failure, and the other four in one line when the PAM handle ends
    const more = (message: string) => fixtureLines('lab-more.log').find((l) => l.endsWith(message))!;
    const first = more(
      'pam_unix(remote:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/pts/0 ruser= rhost=192.0.2.7  user=alice',
    );
    const four = more(
      'PAM 4 more authentication failures; logname= uid=0 euid=0 tty=/dev/pts/0 ruser= rhost=192.0.2.7  user=alice',
    );
    expect(ids(scanLines([first, four]))).toContain('ssh-brute-force 192.0.2.7');
    expect(ids(scanLines([first]))).not.toContain('ssh-brute-force 192.0.2.7');
  });

  it('scanner probes are their own low finding; service accounts given a shell and failed switches to root are findings', () => {
    const alerts = scan(['--timezone', 'UTC', LAB]);
    const probe = alerts.filter((a) => a.rule.id === 'ssh-scanner-probe');
    expect(probe.length).toBeGreaterThan(0);
    expect(probe.every((a) => a.tuxwatch.severity === 'low')).toBe(true);
    expect(
      alerts
        .filter((a) => a.rule.id === 'service-account-login-shell')
        .map((a) => a.user?.target?.name)
        .sort(),
    ).toEqual(['daemon', 'svc-app']);
    const root = alerts.filter((a) => a.rule.id === 'root-switch-failure');
    expect(root.map((a) => a.user?.name).sort()).toEqual(['alice', 'alice', 'alice', 'bob', 'carol']);
  });
});
