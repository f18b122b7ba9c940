import { describe, expect, it } from 'vitest';
import { aideParser } from '../../../src/parse/parsers/aide';
import { context, events, only, web01 } from './evidence-fixtures';

describe('AIDE: the web01 report (Europe/Berlin, report_level=added_removed_entries)', () => {
  const report = web01('aide-report.json');
  const all = events(aideParser, report);
  const byPath = (p: string) => only(all, 'file.path', p);

  it('a chmod u+s is placed at the ctime of the chmod, not at the report', () => {
    const e = byPath('/usr/local/bin/healthcheck.sh');
    expect(e['@timestamp']).toBe('2026-11-26T08:11:17.000Z');
    expect(e['tuxwatch.file.previous.ctime']).toBe('2026-11-26T08:10:46.000Z');
    expect(e['event.created']).toBe('2026-11-26T08:11:19.000Z');
  });

  it('one event per added and changed entry, at the file’s ctime, observed at start_time', () => {
    expect(all).toHaveLength(22 + 14);
    expect(all.filter((e) => e['event.action']?.toString() === 'created')).toHaveLength(22);
    for (const e of all) {
      // the scenario's changes happened at 09:11:17 local or before (actions.jsonl); AIDE ran at 09:11:19
      expect(e['@timestamp']).toBe(e['file.ctime'] ?? e['file.mtime']);
      expect(e['@timestamp'] <= '2026-11-26T08:11:17.000Z').toBe(true);
      expect(e['event.created']).toBe('2026-11-26T08:11:19.000Z');
      expect(e['event.dataset']).toBe('file_integrity');
      expect(e['event.category']).toEqual(['file']);
      expect(e['host.name']).toBe('web01');
      expect(e['event.timezone']).toBeUndefined();
    }
  });

  it('.rootsh: a setuid copy of bash, created, with its back-dated mtime kept in file.mtime (the timeline uses the ctime)', () => {
    const e = byPath('/usr/local/bin/.rootsh');
    expect(e).toMatchObject({
      'file.name': '.rootsh',
      'file.directory': '/usr/local/bin',
      'file.type': 'file',
      'file.mode': '4755',
      'file.setuid': true,
      'file.setgid': false,
      'file.uid': '0',
      'file.gid': '0',
      'file.size': 1265648,
      'file.inode': '2146898',
      'file.mtime': '2019-01-01T02:04:05.000Z',
      'file.ctime': '2026-11-26T08:11:17.000Z',
      'event.type': ['creation'],
      'event.action': ['created'],
    });
    // AIDE writes base64; ECS carries hex
    expect(e['file.hash.sha256']).toBe('25c34e130c601c5610c131710ce7fca96248d6e56bf99e39a3c74072a98db158');
    expect(e['tuxwatch.file.changed']).toBeUndefined();
  });

  it('healthcheck.sh: chmod u+s is an attribute change from 0755 to 4755', () => {
    const e = byPath('/usr/local/bin/healthcheck.sh');
    expect(e).toMatchObject({
      'event.type': ['change'],
      'event.action': ['attributes_modified'],
      'file.mode': '4755',
      'file.setuid': true,
      'tuxwatch.file.previous.mode': '0755',
      'tuxwatch.file.previous.setuid': false,
      'tuxwatch.file.changed': ['mode', 'ctime'],
      'file.ctime': '2026-11-26T08:11:17.000Z',
      'tuxwatch.file.previous.ctime': '2026-11-26T08:10:46.000Z',
    });
  });

  it('content edits are updates with the old hash under previous', () => {
    const e = byPath('/root/.ssh/authorized_keys');
    expect(e['event.action']).toEqual(['updated']);
    expect(e['tuxwatch.file.changed']).toEqual(['size', 'mtime', 'ctime', 'content']);
    expect(e['file.size']).toBe(181);
    expect(e['tuxwatch.file.previous.size']).toBe(93);
    expect(e['tuxwatch.file.previous.hash.sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('odd names and places stay as written: a directory named ". " and a regular file in /dev', () => {
    const dir = byPath('/var/tmp/. ');
    expect(dir).toMatchObject({
      'file.type': 'dir',
      'file.name': '. ',
      'file.directory': '/var/tmp',
      'file.mode': '0755',
    });
    expect(byPath('/var/tmp/. /tools/scan.sh')['file.directory']).toBe('/var/tmp/. /tools');
    expect(byPath('/dev/.udev-cache')).toMatchObject({ 'file.type': 'file', 'file.mode': '0644' });
    expect(byPath('/dev/tty')['file.type']).toBe('char');
  });

  it("event.original is that entry's part of the report", () => {
    const e = byPath('/usr/local/bin/healthcheck.sh');
    const part = JSON.parse(e['event.original']) as Record<string, Record<string, unknown>>;
    const whole = JSON.parse(report) as Record<string, Record<string, unknown>>;
    expect(part['changed']).toEqual({ '/usr/local/bin/healthcheck.sh': 'f = p.. .c...     ' });
    expect(part['details']!['/usr/local/bin/healthcheck.sh']).toEqual(
      whole['details']!['/usr/local/bin/healthcheck.sh'],
    );
  });

  it('the report names no host: the transport hint, else unknown', () => {
    const [first] = events(aideParser, report, context({ host: undefined }));
    expect(first!['host.name']).toBe('unknown');
  });
});
