import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { parseRecord, type ParseDefaults } from '../../../src/parse/parse-record';
import { corpusLines } from '../../support/corpus';

const WEB01_NOW = new Date('2026-11-26T08:11:20Z');
const berlin: ParseDefaults = { timezone: 'Europe/Berlin', maxRecordBytes: 1 << 20 };

function events(lines: string[], defaults: ParseDefaults, now = WEB01_NOW): SiemEvent[][] {
  return lines.map((text, i) => {
    const r = parseRecord({ text, origin: { type: 'file', path: 'corpus', line: i + 1 } }, defaults, now);
    if (!r.ok) throw new Error(`line ${i + 1} rejected: ${r.reason}\n${text}`);
    return [...r.events];
  });
}

describe('web01 auth log in every encoding', () => {
  const traditional = events(corpusLines('web01', 'auth.log'), berlin);
  // the ISO 8601 and RFC 5424 files carry offsets: the configured zone must not matter
  const utcDefaults: ParseDefaults = { timezone: 'Asia/Tokyo', maxRecordBytes: 1 << 20 };
  const iso = events(corpusLines('web01', 'auth-iso8601.log'), utcDefaults);
  const rfc5424 = events(corpusLines('web01', 'auth-rfc5424.log'), utcDefaults);
  const json = events(corpusLines('web01', 'all-rsyslog.jsonl'), utcDefaults);
  const jsonAuth = json.filter((e) =>
    ['auth', 'authpriv'].includes(String(e[0]!['log.syslog.facility.name'])),
  );

  it('every line gives exactly one event', () => {
    for (const file of [traditional, iso, rfc5424, json]) for (const e of file) expect(e).toHaveLength(1);
    expect(traditional).toHaveLength(68);
    expect(jsonAuth).toHaveLength(68);
  });

  it('the same lines carry the same UTC second in each encoding', () => {
    for (let i = 0; i < traditional.length; i++) {
      const second = traditional[i]![0]!['@timestamp'].slice(0, 19);
      expect(iso[i]![0]!['@timestamp'].slice(0, 19), `line ${i + 1}`).toBe(second);
      expect(rfc5424[i]![0]!['@timestamp'].slice(0, 19), `line ${i + 1}`).toBe(second);
      expect(jsonAuth[i]![0]!['@timestamp'].slice(0, 19), `line ${i + 1}`).toBe(second);
      expect(iso[i]![0]!.message).toBe(traditional[i]![0]!.message);
    }
  });

  it('the rsyslog JSON also holds non-auth facilities, parsed as syslog', () => {
    const other = json.filter(
      (e) => !['auth', 'authpriv'].includes(String(e[0]!['log.syslog.facility.name'])),
    );
    expect(other.length).toBe(4);
    expect(other.map((e) => e[0]!['process.name'])).toContain('exim');
  });

  it('only the traditional format needed the zone, and it says so', () => {
    expect(traditional[0]![0]!['event.timezone']).toBe('Europe/Berlin');
    expect(iso[0]![0]!['event.timezone']).toBeUndefined();
  });

  it('useradd of toor lands on its true UTC second (actions.jsonl 08:11:17.381Z)', () => {
    const toor = traditional.flat().find((e) => e['user.target.name'] === 'toor')!;
    expect(toor['@timestamp']).toBe('2026-11-26T08:11:17.000Z');
    expect(toor).toMatchObject({
      'event.action': 'user-created',
      'user.target.id': '0',
      'host.name': 'web01',
      'process.name': 'useradd',
      'process.pid': 207,
      'event.dataset': 'auth',
    });
  });
});

describe('loghub corpora', () => {
  const now = new Date('2026-12-31T00:00:00Z');
  it.each([['Linux_2k.log'], ['OpenSSH_2k.log']])('%s: every line parses', (file) => {
    const all = events(corpusLines('loghub', file), { timezone: 'UTC', maxRecordBytes: 1 << 20 }, now);
    expect(all.length).toBe(2000);
    for (const e of all) expect(e.length).toBeGreaterThan(0);
  });

  it('message repeated 5 times is one failed login standing for 5 (tuxwatch.event.count)', () => {
    const line = corpusLines('loghub', 'OpenSSH_2k.log').find((l) => l.includes('message repeated 5 times'))!;
    const [e] = events([line], { timezone: 'UTC', maxRecordBytes: 1 << 20 }, now);
    expect(e).toHaveLength(1);
    expect(e![0]).toMatchObject({
      'event.action': 'ssh-login',
      'event.outcome': 'failure',
      'user.name': 'root',
      'source.ip': '5.36.59.76',
      'tuxwatch.event.count': 5,
    });
  });

  it('a line that is no repeat carries no count (absent means 1)', () => {
    const line = corpusLines('loghub', 'OpenSSH_2k.log').find((l) => l.includes('Failed password'))!;
    const [e] = events([line], { timezone: 'UTC', maxRecordBytes: 1 << 20 }, now);
    expect(e).toHaveLength(1);
    expect(e![0]!['tuxwatch.event.count']).toBeUndefined();
  });

  it('old-style sub-tags: sshd(pam_unix)[pid] is sshd with PAM semantics', () => {
    const line = corpusLines('loghub', 'Linux_2k.log')[0]!;
    const [[e]] = events([line], { timezone: 'UTC', maxRecordBytes: 1 << 20 }, now) as [[SiemEvent]];
    expect(e).toMatchObject({
      'process.name': 'sshd',
      'process.pid': 19939,
      'event.action': 'pam-authentication-failure',
      'event.outcome': 'failure',
      'source.ip': '218.188.2.4',
      'tuxwatch.pam.module': 'pam_unix',
    });
  });
});
