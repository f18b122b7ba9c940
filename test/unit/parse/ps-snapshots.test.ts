import { describe, expect, it } from 'vitest';
import { psParser } from '../../../src/parse/parsers/ps';
import { context, events, fixture, only, web01 } from './evidence-fixtures';

describe('ps auxww', () => {
  const all = events(psParser, web01('ps-auxww.txt'));

  it('web01: one event per process, the header none', () => {
    expect(all).toHaveLength(9);
    expect(psParser.parse(web01('ps-auxww.txt').split('\n')[0]!, context())).toEqual({
      ok: true,
      events: [],
    });
    expect(
      all.every((e) => e['event.dataset'] === 'process' && e['@timestamp'] === '2026-11-26T08:11:20.000Z'),
    ).toBe(true);
  });

  it('an absolute argv0 is the executable; its basename the name', () => {
    expect(only(all, 'process.pid', 412)).toMatchObject({
      'process.name': 'smbd',
      'process.executable': '/tmp/gen.Al5v/bin/smbd',
      'process.args': ['/tmp/gen.Al5v/bin/smbd', '-lk', '0.0.0.0', '31337'],
      'process.args_count': 4,
      'process.command_line': '/tmp/gen.Al5v/bin/smbd -lk 0.0.0.0 31337',
      'user.name': 'root',
      'process.start': '09:11',
      'event.category': ['process'],
      'event.type': ['info'],
    });
  });

  it('a relative argv0 has no executable; `sshd:` loses its colon', () => {
    expect(only(all, 'process.pid', 413)).toMatchObject({ 'process.name': 'nc.openbsd' });
    expect(only(all, 'process.pid', 413)['process.executable']).toBeUndefined();
    const sshd = only(all, 'process.pid', 54);
    expect(sshd['process.name']).toBe('sshd');
    expect(String(sshd['process.command_line'])).toMatch(/^sshd: \/usr\/sbin\/sshd -p 22 .*startups$/);
  });

  it('kernel threads keep their bracketed name, without brackets and without args', () => {
    const k = events(psParser, fixture('ps', 'kernel-threads-ps-auxww.txt'));
    expect(k).toHaveLength(11);
    expect(only(k, 'process.pid', 11)).toMatchObject({
      'process.name': 'kworker/0:1-virtio_vsock',
      'process.command_line': '[kworker/0:1-virtio_vsock]',
      'tuxwatch.process.kernel_thread': true,
      'tuxwatch.process.stat': 'I',
    });
    expect(only(k, 'process.pid', 11)['process.args']).toBeUndefined();
  });

  it('START as printed, also a date (db02 ran on a faked clock)', () => {
    const db02 = events(psParser, fixture('ps', 'db02-ps-auxww.txt'));
    expect(db02).toHaveLength(9);
    expect(only(db02, 'process.pid', 415)).toMatchObject({
      'process.start': 'Nov26',
      'process.name': 'initd',
    });
  });

  it('lab02 inside a PID namespace', () => {
    const lab = events(psParser, fixture('ps', 'lab02-ps-auxww.txt'));
    expect(lab).toHaveLength(15);
    expect(only(lab, 'process.pid', 9)['process.args']).toEqual([
      'socat',
      'TCP6-LISTEN:2222,ipv6only=0,fork,reuseaddr',
      '/dev/null',
    ]);
  });

  it('lines that are not ps rows reject the record', () => {
    expect(psParser.parse('root 1 x', context())).toMatchObject({ ok: false });
  });
});
