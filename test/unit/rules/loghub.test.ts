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

  it('OpenSSH_2k: only ssh-brute-force, each from an address with at least 5 failed passwords', () => {
    expect(new Set(openssh.map((a) => a.rule.id))).toEqual(new Set(['ssh-brute-force']));
    const failures = new Map<string, number>();
    // rsyslog folds repeats: "message repeated 5 times: [ Failed password ...]" is five more failures
    for (const line of corpusLines('loghub', 'OpenSSH_2k.log')) {
      const m = /(?:message repeated (\d+) times: \[ )?Failed password for .* from (\S+) port/.exec(line);
      if (m) failures.set(m[2]!, (failures.get(m[2]!) ?? 0) + Number(m[1] ?? 1));
    }
    for (const a of openssh) {
      // 5, or more when the fifth arrives in a repeat line (one event standing for several failures)
      expect(a.tuxwatch.related?.count).toBeGreaterThanOrEqual(5);
      expect(a.tuxwatch.related?.count).toBeLessThanOrEqual(9);
      expect(failures.get(a.source!.ip!)).toBeGreaterThanOrEqual(5);
    }
    // real internet brute force from 11 addresses
    expect(new Set(openssh.map((a) => a.source!.ip))).toEqual(
      new Set([
        '183.62.140.253',
        '187.141.143.180',
        '103.99.0.122',
        '112.95.230.3',
        '5.188.10.180',
        '185.190.58.151',
        '60.2.12.12',
        '5.36.59.76',
        '123.235.32.19',
        '119.4.203.64',
        '106.5.5.195',
      ]),
    );
    // one alert per 5 failures within 5 minutes: 98 of them, folded per address into one alert per
    // 10-minute suppression window, with a count
    expect(openssh.reduce((n, a) => n + (a.tuxwatch.alert?.count ?? 0), 0)).toBe(98);
    expect(openssh.length).toBeLessThan(98);
    expect(new Set(openssh.map((a) => a.event.id)).size).toBe(openssh.length);
  });

  it('with folding off, each of the 98 brute-force bursts is its own alert', () => {
    expect(scan(['--suppress-window', '0', corpusPath('loghub', 'OpenSSH_2k.log')])).toHaveLength(98);
  });

  it('the one accepted login of OpenSSH_2k follows no failure from its address', () => {
    expect(openssh.filter((a) => a.rule.id === 'ssh-login-after-failures')).toEqual([]);
  });
});
