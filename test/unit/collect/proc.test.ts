import { describe, expect, it } from 'vitest';
import { parseInetTable, parseProcStat, parseUnixTable } from '../../../src/collect/parsers/proc';
import { collectText } from './fixtures';

describe('/proc/net tables and /proc/PID/stat as the kernel writes them', () => {
  it('tcp: a listener on 0.0.0.0:31337 (LISTEN, its inode and uid)', () => {
    expect(parseInetTable(collectText('proc/tcp'))).toEqual({
      sockets: [
        {
          local: { ip: '0.0.0.0', port: 31337 },
          remote: { ip: '0.0.0.0', port: 0 },
          state: 'LISTEN',
          uid: 0,
          inode: 710261,
        },
      ],
      skipped: 0,
    });
  });

  it('tcp6: [::1]:8080 listening, and both ends of a connection to it (ESTAB)', () => {
    const { sockets } = parseInetTable(collectText('proc/tcp6'));
    expect(
      sockets.map((s) => `${s.state} ${s.local.ip}:${s.local.port} -> ${s.remote.ip}:${s.remote.port}`),
    ).toEqual(['LISTEN ::1:8080 -> :::0', 'ESTAB ::1:48904 -> ::1:8080', 'ESTAB ::1:8080 -> ::1:48904']);
  });

  it('udp: an unconnected socket on 127.0.0.1:5353 is UNCONN', () => {
    expect(parseInetTable(collectText('proc/udp')).sockets).toEqual([
      {
        local: { ip: '127.0.0.1', port: 5353 },
        remote: { ip: '0.0.0.0', port: 0 },
        state: 'UNCONN',
        uid: 0,
        inode: 710267,
      },
    ]);
  });

  it('unix: the listening socket and its path', () => {
    expect(parseUnixTable(collectText('proc/unix'))).toEqual([
      { inode: 710268, listening: true, state: 'LISTEN', path: '/tmp/.proc-net-fixture.sock' },
    ]);
  });

  it('stat: a process name with blanks and parentheses does not shift the fields', () => {
    expect(parseProcStat(collectText('proc/stat'))).toEqual({
      pid: 13980,
      comm: 'evil (proc) x',
      ppid: 13972,
      startTicks: 479955,
      kernelThread: false,
    });
  });

  it('lines that are not a socket are counted, never thrown on', () => {
    const r = parseInetTable(
      `header\n   0: zz:zz 00000000:0000 0A\n${collectText('proc/tcp').split('\n')[1]}\n`,
    );
    expect(r).toMatchObject({ skipped: 1, sockets: [{ state: 'LISTEN' }] });
  });
});
