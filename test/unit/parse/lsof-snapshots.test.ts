import { describe, expect, it } from 'vitest';
import { lsofParser } from '../../../src/parse/parsers/lsof';
import { context, events, fixture, only, web01 } from './evidence-fixtures';

describe('lsof -i -nP', () => {
  const all = events(lsofParser, web01('lsof-i.txt'));

  it('web01: one event per line, the header none', () => {
    expect(all).toHaveLength(7);
    const header = web01('lsof-i.txt').split('\n')[0]!;
    expect(lsofParser.parse(header, context())).toEqual({ ok: true, events: [] });
  });

  it('COMMAND stays as lsof truncated it, USER becomes user.name', () => {
    const e = only(all, 'server.port', 1337);
    expect(e).toMatchObject({
      'process.name': 'nc.openbs',
      'process.pid': 413,
      'user.name': 'root',
      'server.ip': '203.0.113.50',
      'network.transport': 'tcp',
      'network.state': 'LISTEN',
      'event.action': 'socket-listening',
    });
  });

  it('`*:8081` of an IPv4 socket is 0.0.0.0; a->b is a connection in ss spelling', () => {
    expect(only(all, 'server.port', 8081)).toMatchObject({ 'server.ip': '0.0.0.0', 'server.address': '*' });
    expect(only(all, 'process.name', 'initd')).toMatchObject({
      'event.action': 'socket-connected',
      'network.state': 'ESTAB',
      'source.port': 46788,
      'destination.ip': '203.0.113.50',
      'destination.port': 1337,
    });
  });

  it('lab02: IPv6, dual-stack `*`, UDP with and without a peer', () => {
    const lab = events(lsofParser, fixture('lsof', 'lab02-lsof-i.txt'), context({ host: 'lab02' }));
    expect(lab).toHaveLength(9);
    expect(only(lab, 'server.port', 8443)).toMatchObject({
      'server.ip': '2001:db8::10',
      'network.type': 'ipv6',
    });
    expect(only(lab, 'server.port', 2222)).toMatchObject({ 'server.ip': '::', 'process.name': 'socat' });
    expect(only(lab, 'server.port', 5353)).toMatchObject({
      'network.transport': 'udp',
      'event.action': 'socket-listening',
    });
    expect(only(lab, 'source.port', 39669)).toMatchObject({
      'network.transport': 'udp',
      'destination.port': 5353,
    });
    expect(only(lab, 'source.port', 33846)).toMatchObject({ 'destination.ip': '2001:db8::10' });
  });

  it('a listener shared by two processes is two lines, two events', () => {
    const shared = events(lsofParser, fixture('lsof', 'lab02-lsof-i-shared.txt'));
    expect(shared.filter((e) => e['server.port'] === 31337).map((e) => e['process.pid'])).toEqual([8, 51]);
  });

  it('non-network lines reject the record', () => {
    const line = 'bash      1 root  cwd    DIR  259,1     4096      2 /';
    expect(lsofParser.parse(line, context())).toMatchObject({ ok: false });
  });
});
