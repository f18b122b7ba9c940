import { describe, expect, it } from 'vitest';
import { aideParser } from '../../../src/parse/parsers/aide';
import { context, events, fixture, only } from './evidence-fixtures';

const T = '/tmp/tw-aide/tree';

describe('AIDE: a lab report with removals, owner and setuid changes (Asia/Kolkata, default report level)', () => {
  const all = events(aideParser, fixture('aide', 'lab-changed-attributes.json'), context({ host: 'lab02' }));
  const byPath = (p: string) => only(all, 'file.path', `${T}${p}`);

  it('2 added, 1 removed, 7 changed; +0530 start time in UTC', () => {
    expect(all).toHaveLength(10);
    expect(all.every((e) => e['@timestamp'] === '2026-11-26T08:31:52.000Z')).toBe(true);
    expect(all.filter((e) => String(e['event.type']) === 'deletion')).toHaveLength(1);
  });

  it('a removed binary is a deletion; without details only its type is known', () => {
    expect(byPath('/usr/bin/oldtool')).toMatchObject({
      'event.type': ['deletion'],
      'event.action': ['deleted'],
      'file.type': 'file',
      'file.name': 'oldtool',
    });
    expect(byPath('/usr/bin/oldtool')['file.mode']).toBeUndefined();
  });

  it('file types from the summary: fifo and symlink', () => {
    expect(byPath('/srv/app/pipe')).toMatchObject({ 'file.type': 'fifo', 'event.action': ['created'] });
    expect(byPath('/srv/app/link')).toMatchObject({
      'file.type': 'symlink',
      'file.inode': '10003603',
      'tuxwatch.file.previous.inode': '10003590',
    });
  });

  it('chown of an authorized_keys: uid/gid now and before', () => {
    expect(byPath('/home/carol/.ssh/authorized_keys')).toMatchObject({
      'event.action': ['attributes_modified'],
      'file.uid': '1001',
      'file.gid': '1001',
      'tuxwatch.file.previous.uid': '0',
      'tuxwatch.file.previous.gid': '0',
      'tuxwatch.file.changed': ['uid', 'gid', 'ctime'],
    });
  });

  it('an appended cron line is a content update; sha512 converted to hex too', () => {
    const e = byPath('/etc/cron.d/backup');
    expect(e['event.action']).toEqual(['updated']);
    expect(e['tuxwatch.file.changed']).toEqual(['size', 'mtime', 'ctime', 'content']);
    expect(e['file.hash.sha512']).toMatch(/^[0-9a-f]{128}$/);
    expect(e['file.mtime']).toBe('2026-11-26T08:31:52.000Z');
  });

  it('same-size edit (v1 -> v2) is still an update: the hash says so', () => {
    expect(byPath('/srv/app/config.ini')['event.action']).toEqual(['updated']);
  });

  it('chmod 4755 on a binary', () => {
    expect(byPath('/usr/bin/helper')).toMatchObject({
      'file.mode': '4755',
      'tuxwatch.file.previous.mode': '0755',
    });
  });
});

describe('AIDE: the db02 report across the New York DST change (added_removed_entries)', () => {
  const all = events(aideParser, fixture('aide', 'db02-dst-aide-report.json'), context({ host: 'db02' }));

  it('38 added, 2 removed, 15 changed, observed 03:00:05 EDT; each change at its file’s ctime', () => {
    expect(all).toHaveLength(55);
    for (const e of all) {
      expect(e['event.created'] ?? e['@timestamp']).toBe('2026-03-08T07:00:05.000Z');
      const fileTime = (e['file.ctime'] ?? e['file.mtime']) as string | undefined;
      if (e['event.created'] !== undefined) expect(e['@timestamp']).toBe(fileTime);
      else expect(fileTime === undefined || fileTime >= '2026-03-08T07:00:05.000Z').toBe(true);
    }
    expect(all.filter((e) => e['event.created'] !== undefined).length).toBeGreaterThan(40);
  });

  it('removed entries carry what AIDE last saw, under previous (EST offset)', () => {
    const e = only(all, 'file.path', '/dev/shm/faketime_shm_47');
    expect(e).toMatchObject({
      'event.action': ['deleted'],
      'tuxwatch.file.previous.mode': '0600',
      'tuxwatch.file.previous.size': 8,
      'tuxwatch.file.previous.mtime': '2026-03-08T06:59:31.000Z',
    });
    expect(e['file.mode']).toBeUndefined();
  });

  it('times on both sides of the change convert with their own offsets', () => {
    const e = only(all, 'file.path', '/usr/local/bin/healthcheck.sh');
    expect(e['tuxwatch.file.previous.ctime']).toBe('2026-03-08T06:59:30.000Z');
    expect(e['file.ctime']).toBe('2026-03-08T07:00:04.000Z');
    expect(only(all, 'file.path', '/usr/local/bin/.rootsh')['file.mtime']).toBe('2018-04-13T06:32:19.000Z');
  });
});
