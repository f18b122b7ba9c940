import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { FileModeEnricher, InMemoryHostState, TIMESTOMP_THRESHOLD_MS } from '../../../src/enrich';
import { event, parse, readFixture, web01Aide } from './evidence';

const facts = (e: SiemEvent) => ({
  gained_setuid: e['tuxwatch.file.gained_setuid'],
  gained_setgid: e['tuxwatch.file.gained_setgid'],
  timestomped: e['tuxwatch.file.timestomped'],
});

describe('FileModeEnricher on the web01 AIDE report', () => {
  const aide = web01Aide();
  const enricher = new FileModeEnricher(new InMemoryHostState());
  const enriched = new Map([...aide].map(([p, e]) => [p, enricher.enrich(e)]));

  it('a setuid copy of bash, created and back-dated to 2019', () => {
    expect(facts(enriched.get('/usr/local/bin/.rootsh')!)).toEqual({
      gained_setuid: true,
      gained_setgid: false,
      timestomped: true,
    });
  });

  it('chmod u+s on an existing script: the report has the old mode', () => {
    expect(facts(enriched.get('/usr/local/bin/healthcheck.sh')!)).toEqual({
      gained_setuid: true,
      gained_setgid: false,
      timestomped: undefined, // AIDE reports no mtime for a mode-only change
    });
  });

  it('an ordinary new binary (chmod 750), and content changes with fresh mtimes', () => {
    expect(facts(enriched.get('/usr/local/bin/report-gen')!)).toEqual({
      gained_setuid: false,
      gained_setgid: false,
      timestomped: false,
    });
    expect(facts(enriched.get('/root/.ssh/authorized_keys')!)).toEqual({
      gained_setuid: undefined,
      gained_setgid: undefined,
      timestomped: false,
    });
  });

  it('files copied from /etc/skel keep the skeleton mtime: timestomped is a fact, the rule filters them', () => {
    expect(enriched.get('/home/alice/.bashrc')!['tuxwatch.file.timestomped']).toBe(true);
    const stomped = [...enriched.values()].filter((e) => e['tuxwatch.file.timestomped'] === true);
    expect(stomped.map((e) => e['file.path']).sort()).toEqual([
      '/home/alice/.bash_logout',
      '/home/alice/.bashrc',
      '/home/alice/.profile',
      '/home/svc-backup/.bash_logout',
      '/home/svc-backup/.bashrc',
      '/home/svc-backup/.profile',
      '/home/tmpadmin/.bash_logout',
      '/home/tmpadmin/.bashrc',
      '/home/tmpadmin/.profile',
      '/usr/local/bin/.rootsh',
    ]);
  });

  it('never mutates its input', () => {
    const rootsh = aide.get('/usr/local/bin/.rootsh')!; // frozen
    expect(Object.isFrozen(rootsh)).toBe(true);
    expect(rootsh['tuxwatch.file.gained_setuid']).toBeUndefined();
  });
});

describe('FileModeEnricher with host state (sources that do not say what was before)', () => {
  const auditbeat = (action: string, fields: Record<string, SiemEvent[string]>) =>
    event({
      'event.module': 'auditbeat',
      'event.dataset': 'file_integrity',
      'event.action': [action],
      'event.type': [action === 'created' ? 'creation' : action === 'deleted' ? 'deletion' : 'change'],
      'host.name': 'h',
      'file.path': '/usr/bin/helper',
      'file.type': 'file',
      ...fields,
    });

  it('attributes_modified with the bit: gained only if this host saw the file without it', () => {
    const state = new InMemoryHostState();
    const enricher = new FileModeEnricher(state);
    const suid = auditbeat('attributes_modified', {
      'file.mode': '0755',
      'file.setuid': true,
      'file.setgid': false,
    });
    expect(facts(enricher.enrich(suid)).gained_setuid).toBeUndefined(); // never seen: no verdict
    const fresh = new FileModeEnricher(new InMemoryHostState());
    fresh.enrich(auditbeat('updated', { 'file.mode': '0755', 'file.setuid': false, 'file.setgid': false }));
    expect(facts(fresh.enrich(suid))).toMatchObject({ gained_setuid: true, gained_setgid: false });
    expect(facts(fresh.enrich(suid))).toMatchObject({ gained_setuid: false }); // already had it
  });

  it('a deletion forgets the file: recreated with the bit, it counts as created with it', () => {
    const enricher = new FileModeEnricher(new InMemoryHostState());
    enricher.enrich(auditbeat('updated', { 'file.mode': '4755', 'file.setuid': true, 'file.setgid': false }));
    enricher.enrich(auditbeat('deleted', {}));
    const again = auditbeat('created', { 'file.mode': '4755', 'file.setuid': true, 'file.setgid': false });
    expect(facts(enricher.enrich(again)).gained_setuid).toBe(true);
  });

  it('chmod on an old file changes ctime only: not timestomping; touch -r after a write is', () => {
    const enricher = new FileModeEnricher(new InMemoryHostState());
    const old = '2023-05-01T00:00:00.000Z';
    const now = '2026-11-26T08:11:17.000Z';
    const chmod = auditbeat('attributes_modified', { 'file.mtime': old, 'file.ctime': now });
    expect(facts(enricher.enrich(chmod)).timestomped).toBeUndefined();
    enricher.enrich(auditbeat('updated', { 'file.mtime': now, 'file.ctime': now }));
    const touched = auditbeat('attributes_modified', { 'file.mtime': old, 'file.ctime': now });
    expect(facts(enricher.enrich(touched)).timestomped).toBe(true);
  });

  it('the threshold is one day, either way', () => {
    const enricher = new FileModeEnricher();
    const created = (mtime: number) =>
      auditbeat('created', {
        'file.mtime': new Date(Date.parse('2026-11-26T08:00:00Z') + mtime).toISOString(),
        'file.ctime': '2026-11-26T08:00:00.000Z',
      });
    expect(TIMESTOMP_THRESHOLD_MS).toBe(86_400_000);
    expect(facts(enricher.enrich(created(-TIMESTOMP_THRESHOLD_MS))).timestomped).toBe(false);
    expect(facts(enricher.enrich(created(-TIMESTOMP_THRESHOLD_MS - 1000))).timestomped).toBe(true);
    expect(facts(enricher.enrich(created(2 * TIMESTOMP_THRESHOLD_MS))).timestomped).toBe(true);
  });

  it('osquery suid_bin: a row added after the first run is a new setuid file; the first run proves nothing', () => {
    const enricher = new FileModeEnricher();
    const row = (counter: string) =>
      event({
        'event.module': 'osquery',
        'event.dataset': 'file_integrity',
        'event.action': ['attributes_modified'],
        'event.type': ['change'],
        'file.path': '/tmp/.x',
        'file.setuid': true,
        'file.setgid': false,
        'osquery.permissions': 'S',
        'tuxwatch.osquery.diff': 'added',
        'tuxwatch.osquery.counter': counter,
      });
    expect(facts(enricher.enrich(row('3'))).gained_setuid).toBe(true);
    expect(facts(enricher.enrich(row('0'))).gained_setuid).toBeUndefined();
  });

  it('AIDE default report level: an added entry without details gives no verdict', () => {
    const enricher = new FileModeEnricher();
    const events = parse(readFixture('aide', 'lab-changed-attributes.json'), { kind: 'aide' });
    const newtool = events.find((e) => String(e['file.path']).endsWith('/usr/bin/newtool'))!;
    expect(facts(enricher.enrich(newtool))).toEqual({
      gained_setuid: undefined,
      gained_setgid: undefined,
      timestomped: undefined,
    });
    const helper = events.find((e) => String(e['file.path']).endsWith('/usr/bin/helper'))!;
    expect(facts(enricher.enrich(helper)).gained_setuid).toBe(true);
  });
});
