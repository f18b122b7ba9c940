import { describe, expect, it } from 'vitest';
import { LASTLOG_SIZE, parseLastlog, parseUtmp } from '../../../src/collect/parsers/utmp';
import { collectFixture, collectText } from './fixtures';

/** util-linux utmpdump: `[type] [pid] [id] [user] [line] [host] [addr] [time]`, fields padded. */
function utmpdump(text: string) {
  return text
    .trim()
    .split('\n')
    .map((l) => {
      const f = [...l.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!.trim());
      return {
        type: Number(f[0]),
        pid: Number(f[1]),
        user: f[3],
        line: f[4],
        host: f[5],
        addr: f[6],
        time: f[7],
      };
    });
}

const TYPES = [
  'EMPTY',
  'RUN_LVL',
  'BOOT_TIME',
  'NEW_TIME',
  'OLD_TIME',
  'INIT_PROCESS',
  'LOGIN_PROCESS',
  'USER_PROCESS',
  'DEAD_PROCESS',
];

describe('utmp, wtmp, btmp as sshd wrote them read like util-linux utmpdump reads them', () => {
  it.each(['wtmp', 'btmp', 'utmp'])('%s', (name) => {
    const parsed = parseUtmp(collectFixture(`logins/${name}`));
    const expected = utmpdump(collectText(`logins/${name}.utmpdump.txt`));
    expect(parsed.skipped).toBe(0);
    expect(parsed.partial).toBe(false);
    expect(
      parsed.records.map((r) => ({
        type: r.type,
        pid: r.pid,
        user: r.user,
        line: r.line,
        host: r.host,
        addr: r.ip ?? '0.0.0.0',
      })),
    ).toEqual(
      expected.map((e) => ({
        type: TYPES[e.type],
        pid: e.pid,
        user: e.user,
        line: e.line,
        host: e.host,
        addr: e.addr,
      })),
    );
    // utmpdump prints the time with microseconds and an offset: the same instant, to the millisecond
    expect(parsed.records.map((r) => r.time)).toEqual(
      expected.map((e) => Math.floor(Date.parse(e.time!.replace(',', '.').replace(/(\.\d{3})\d*/, '$1')))),
    );
  });

  it('btmp holds the failed logins (three for admin, one for root) from 127.0.0.1', () => {
    const { records } = parseUtmp(collectFixture('logins/btmp'));
    expect(records.map((r) => r.user)).toEqual([
      'admin',
      'admin',
      'admin',
      'admin',
      'admin',
      'admin',
      'root',
    ]);
    expect(new Set(records.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
  });

  it('a record cut short, an unknown type and an impossible time are counted, not guessed', () => {
    const wtmp = collectFixture('logins/wtmp');
    const bad = Buffer.from(wtmp);
    bad.writeInt16LE(42, 0);
    bad.writeInt32LE(0, 384 + 340);
    const r = parseUtmp(Buffer.concat([bad, wtmp.subarray(0, 100)]));
    expect(r.records).toEqual([]);
    expect(r.skipped).toBe(2);
    expect(r.partial).toBe(true);
  });

  it("lastlog's record of UID 0 is root's last key login", () => {
    const file = collectFixture('logins/lastlog');
    const rec = parseLastlog(file.subarray(0, LASTLOG_SIZE));
    const wtmp = parseUtmp(collectFixture('logins/wtmp')).records;
    expect(rec).toMatchObject({ line: 'pts/0', host: '127.0.0.1' });
    expect(Math.abs(rec!.time - wtmp[0]!.time)).toBeLessThan(2000);
    expect(parseLastlog(Buffer.alloc(LASTLOG_SIZE))).toBeUndefined();
  });
});
