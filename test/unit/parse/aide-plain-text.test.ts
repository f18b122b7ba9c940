import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { aideParser } from '../../../src/parse/parsers/aide';
import { events, fixture, only, web01 } from './evidence-fixtures';

/**
 * The plain report is a second `aide --check` run; under libfaketime (db02) each run leaves its own
 * /dev/shm/faketime_* files, so those entries genuinely differ between the two reports.
 */
const withoutOriginal = (list: SiemEvent[]) =>
  list
    .filter((e) => !String(e['file.path']).startsWith('/dev/shm/'))
    .map(({ 'event.original': _o, ...rest }) => rest);

describe('AIDE plain-text reports give the same events as the JSON report of the same check', () => {
  it.each([
    ['web01', web01('aide-report.txt'), web01('aide-report.json'), 36],
    [
      'db02 (DST)',
      fixture('aide', 'db02-dst-aide-report.txt'),
      fixture('aide', 'db02-dst-aide-report.json'),
      55,
    ],
    [
      'lab',
      fixture('aide', 'lab-changed-attributes.txt'),
      fixture('aide', 'lab-changed-attributes.json'),
      10,
    ],
  ])('%s', (_name, plain, json, count) => {
    const fromText = events(aideParser, plain);
    expect(fromText).toHaveLength(count);
    expect(withoutOriginal(fromText)).toEqual(withoutOriginal(events(aideParser, json)));
  });

  it('wrapped hashes are joined; event.original is the entry line and its detail block', () => {
    const list = events(aideParser, web01('aide-report.txt'));
    const e = only(list, 'file.path', '/root/.ssh/authorized_keys');
    expect(e['tuxwatch.file.previous.hash.sha256']).toBe(
      Buffer.from('LKXRgTrjD3rJ59dbhUPaBlhXj3k1X2CWmR7WSGRazvU=', 'base64').toString('hex'),
    );
    expect(e['event.original']).toBe(
      [
        'f > ... mc..H     : /root/.ssh/authorized_keys',
        'File: /root/.ssh/authorized_keys',
        ' Size      : 93                               | 181',
        ' Mtime     : 2026-11-26 09:10:47 +0100        | 2026-11-26 09:11:17 +0100',
        ' Ctime     : 2026-11-26 09:10:47 +0100        | 2026-11-26 09:11:17 +0100',
        ' SHA256    : LKXRgTrjD3rJ59dbhUPaBlhXj3k1X2CW | PHoL90QUE7ZetLKVyZHS+fDGVnhz8PQ4',
        '             mR7WSGRazvU=                     | rYURjEFWCJI=',
      ].join('\n'),
    );
    expect(only(list, 'file.path', '/var/tmp/. ')['file.type']).toBe('dir');
  });
});
