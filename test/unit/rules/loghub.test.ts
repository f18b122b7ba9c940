import { describe, expect, it } from 'vitest';
import { corpusLines, corpusPath } from '../../support/corpus';
import { CORE_RULES, scan } from './alerts';

describe('the bundled pack on loghub production logs', () => {
  const linux = scan([corpusPath('loghub', 'Linux_2k.log')]);
  const openssh = scan([corpusPath('loghub', 'OpenSSH_2k.log')]);

  it('no core alert on either file', () => {
    expect([...linux, ...openssh].filter((a) => CORE_RULES.includes(a.rule.id))).toEqual([]);
  });

  it('Linux_2k: no alert at all', () => {
    expect(linux.map((a) => a.rule.id)).toEqual([]);
  });

  it('OpenSSH_2k: brute force, spraying, per-account counts and scanner probes; each brute force from an address with at least 5 failed or refused attempts', () => {
    expect(new Set(openssh.map((a) => a.rule.id))).toEqual(
      new Set(['ssh-brute-force', 'password-spraying', 'account-brute-force', 'ssh-scanner-probe']),
    );
    const attempts = new Map<string, number>();
    // rsyslog folds repeats: "message repeated 5 times: [ Failed password ...]" is five more failures
    for (const line of corpusLines('loghub', 'OpenSSH_2k.log')) {
      const m =
        /(?:message repeated (\d+) times: \[ )?(?:Failed (?!none)\S+ for .* from|Invalid user .* from|User .* from|maximum authentication attempts exceeded for .* from) (\S+)/.exec(
          line,
        );
      if (m) attempts.set(m[2]!, (attempts.get(m[2]!) ?? 0) + Number(m[1] ?? 1));
    }
    const brute = openssh.filter((a) => a.rule.id === 'ssh-brute-force');
    for (const a of brute) {
      // 5, or more when the fifth arrives in a repeat line (one event standing for several failures)
      expect(a.tuxwatch.related?.count).toBeGreaterThanOrEqual(5);
      expect(a.tuxwatch.related?.count).toBeLessThanOrEqual(9);
      expect(attempts.get(a.source!.ip!)).toBeGreaterThanOrEqual(5);
    }
    // real internet brute force from 13 addresses
    expect(new Set(brute.map((a) => a.source!.ip)).size).toBe(13);
    // one alert per 5 attempts within 5 minutes: 116 of them, folded per address into one alert per
    // 10-minute suppression window, with a count
    expect(brute.reduce((n, a) => n + (a.tuxwatch.alert?.count ?? 0), 0)).toBe(116);
    expect(new Set(openssh.map((a) => a.event.id)).size).toBe(openssh.length);
    expect(
      openssh.filter((a) => a.rule.id === 'ssh-scanner-probe').every((a) => a.tuxwatch.severity === 'low'),
    ).toBe(true);
  });

  it('with folding off, each of the 116 brute-force bursts is its own alert', () => {
    const all = scan(['--suppress-window', '0', corpusPath('loghub', 'OpenSSH_2k.log')]);
    expect(all.filter((a) => a.rule.id === 'ssh-brute-force')).toHaveLength(116);
  });

  it('the one accepted login of OpenSSH_2k follows no failure from its address', () => {
    expect(openssh.filter((a) => a.rule.id === 'ssh-login-after-failures')).toEqual([]);
  });
});
