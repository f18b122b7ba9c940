import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { SnapshotBaselineEnricher } from '../../../src/enrich/snapshot-baseline.enricher';
import { SnapshotBaselines } from '../../../src/enrich/state/snapshot-baselines';
import { parseRecord } from '../../../src/parse/parse-record';
import { sniffParser } from '../../../src/parse/registry';
import { snapshotLines } from './fixtures';

const parse = (text: string) =>
  parseRecord(
    { text, origin: { type: 'file', path: 'x', line: 1 } },
    { timezone: 'UTC', maxRecordBytes: 1 << 20 },
    new Date(),
  );

const events = (name: string): SiemEvent[] =>
  snapshotLines(name).flatMap((l) => {
    const r = parse(l);
    if (!r.ok) throw new Error(r.reason);
    return r.events;
  });

describe('snapshot records of a swept Debian root', () => {
  const compromised = events('debian-compromised');

  it('are sniffed as snapshot and each becomes one event at the run start, on its host', () => {
    const lines = snapshotLines('debian-compromised');
    expect(lines.every((l) => sniffParser(l)?.kind === 'snapshot')).toBe(true);
    expect(compromised).toHaveLength(lines.length);
    const at = JSON.parse(lines[0]!).at as string;
    expect(new Set(compromised.map((e) => e['host.name']))).toEqual(new Set(['victim']));
    expect(
      compromised.filter((e) => e['tuxwatch.snapshot.fact'] !== 'login').every((e) => e['@timestamp'] === at),
    ).toBe(true);
  });

  it('an account carries the entity fields useradd gives the same account', () => {
    const toor = compromised.find((e) => e['event.action'] === 'account' && e['user.name'] === 'toor')!;
    expect(toor).toMatchObject({
      'event.dataset': 'auth',
      'user.id': '0',
      'user.target.name': 'toor',
      'user.target.id': '0',
      'group.id': '0',
      'tuxwatch.user.shadow.status': 'locked',
    });
  });

  it('a listener is a socket-listening event with the process that holds it', () => {
    const perl = compromised.find(
      (e) => e['event.action'] === 'socket-listening' && e['server.port'] === 31337,
    )!;
    expect(perl).toMatchObject({
      'event.dataset': 'socket',
      'process.name': 'perl',
      'network.transport': 'tcp',
      'server.ip': '0.0.0.0',
    });
  });

  it('a deleted executable, a SUID shell copy and a hosts line keep what rules need', () => {
    expect(compromised.find((e) => e['process.executable'] === '/dev/shm/updater')).toMatchObject({
      'tuxwatch.process.exe_deleted': true,
      'tuxwatch.process.exe_replaced': false,
      'tuxwatch.process.exe_packaged': false,
    });
    expect(compromised.find((e) => e['file.path'] === '/usr/local/bin/.rootsh')).toMatchObject({
      'file.mode': '4755',
      'file.setuid': true,
      'tuxwatch.file.shell_copy': true,
    });
    const hosts = compromised.filter((e) => e['event.action'] === 'hosts-entry');
    expect(hosts.map((e) => e['tuxwatch.hosts.self_only'])).toEqual([true, true, true, true, true, false]);
  });

  it('hostile records are refused with a reason, never half-read', () => {
    const good = JSON.parse(snapshotLines('debian-clean')[0]!) as Record<string, unknown>;
    const cases = [
      { ...good, data: { ...(good.data as object), uid: -1 } },
      { ...good, fact: 'no-such-fact' },
      { ...good, at: 'yesterday' },
      { ...good, host: '' },
    ];
    for (const c of cases) expect(parse(JSON.stringify(c))).toMatchObject({ ok: false, kind: 'snapshot' });
    expect(parse(`{"type":"tuxwatch-snapshot","__proto__":{"x":1}}`)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('forbidden key'),
    });
  });
});

describe('per-host snapshot baselines', () => {
  const judge = (baselines: SnapshotBaselines, name: string) => {
    const enricher = new SnapshotBaselineEnricher(baselines);
    return events(name).map((e) => enricher.enrich(e));
  };
  const newFacts = (es: SiemEvent[]) =>
    es
      .filter((e) => e['tuxwatch.snapshot.new'] === true)
      .map((e) => `${e['event.action']} ${e['file.path'] ?? e['process.name'] ?? e['user.name'] ?? ''}`);

  it('the first run is the baseline; the next shows what is new; the same host swept again shows nothing new', () => {
    const baselines = new SnapshotBaselines();
    const first = judge(baselines, 'debian-clean');
    expect(
      first
        .filter((e) => e['tuxwatch.snapshot.key'] !== undefined)
        .every((e) => e['tuxwatch.snapshot.baseline'] === true),
    ).toBe(true);
    const second = judge(baselines, 'debian-compromised');
    expect(newFacts(second)).toEqual(
      expect.arrayContaining([
        'account toor',
        'sudo-rule /etc/sudoers.d/90-svc',
        'suid-file /usr/local/bin/.rootsh',
        'socket-listening perl',
      ]),
    );
    expect(second.some((e) => e['tuxwatch.snapshot.new'] === false)).toBe(true);
    expect(newFacts(judge(baselines, 'debian-compromised-again'))).toEqual([]);
  });

  it('a baseline restored from its snapshot judges the next run as the original would', () => {
    const a = new SnapshotBaselines();
    judge(a, 'debian-clean');
    judge(a, 'debian-compromised');
    const b = new SnapshotBaselines();
    b.restore('victim', a.snapshot('victim')!);
    expect(b.snapshot('victim')).toBe(a.snapshot('victim'));
    expect(newFacts(judge(b, 'debian-compromised-again'))).toEqual([]);
    expect(() => b.restore('victim', '{"v":1,"host":"other","checks":[],"facts":[]}')).toThrow();
  });

  it('a snapshot over its size cap drops the least recently seen facts, never the checks', () => {
    const a = new SnapshotBaselines();
    judge(a, 'debian-compromised');
    const full = a.snapshot('victim')!;
    const capped = a.snapshot('victim', 1200)!;
    expect(capped.length).toBeLessThanOrEqual(1200);
    expect(JSON.parse(capped).checks).toEqual(JSON.parse(full).checks);
  });
});
