import { describe, expect, it } from 'vitest';
import { ssParser } from '../../../src/parse/parsers/ss';
import { context, events, fixture, only, web01 } from './evidence-fixtures';

describe('ss: the web01 snapshots', () => {
  const tunap = events(ssParser, web01('ss-tunap.txt'));
  const tlnp = events(ssParser, web01('ss-tlnp.txt'));

  it('one event per socket line, observed at ctx.now, no zone applied', () => {
    expect(tunap).toHaveLength(17);
    expect(tlnp).toHaveLength(5);
    for (const e of [...tunap, ...tlnp]) {
      expect(e['@timestamp']).toBe('2026-11-26T08:11:20.000Z');
      expect(e['event.dataset']).toBe('socket');
      expect(e['event.timezone']).toBeUndefined();
    }
  });

  it('the smbd listener on 0.0.0.0:31337', () => {
    const e = only(tunap, 'server.port', 31337);
    expect(e).toMatchObject({
      'event.action': 'socket-listening',
      'event.category': ['network'],
      'event.type': ['info'],
      'network.transport': 'tcp',
      'network.type': 'ipv4',
      'network.state': 'LISTEN',
      'server.ip': '0.0.0.0',
      'process.name': 'smbd',
      'process.pid': 412,
      'host.name': 'web01',
    });
    expect(e['event.original']).toBe(
      'tcp LISTEN    0      1           0.0.0.0:31337      0.0.0.0:*     users:(("smbd",pid=412,fd=3))      ',
    );
  });

  it("initd's established connection to 203.0.113.50:1337", () => {
    const e = only(tunap, 'process.name', 'initd');
    expect(e).toMatchObject({
      'event.action': 'socket-connected',
      'network.state': 'ESTAB',
      'source.ip': '203.0.113.50',
      'source.port': 46788,
      'destination.ip': '203.0.113.50',
      'destination.port': 1337,
      'process.pid': 415,
    });
    expect(e['server.ip']).toBeUndefined();
  });

  it('TIME-WAIT lines are connections without process fields', () => {
    const waits = tunap.filter((e) => e['network.state'] === 'TIME-WAIT');
    expect(waits).toHaveLength(10);
    for (const e of waits) {
      expect(e['process.name']).toBeUndefined();
      expect(e['process.pid']).toBeUndefined();
      expect(e['destination.port']).toBe(22);
    }
  });

  it('-tlnp has no Netid column: LISTEN still means tcp', () => {
    expect(tlnp.map((e) => e['server.port'])).toEqual([31337, 22, 80, 1337, 8081]);
    expect(tlnp.every((e) => e['network.transport'] === 'tcp')).toBe(true);
  });

  it('a single line is a record too', () => {
    const line = web01('ss-tlnp.txt').split('\n')[3]!;
    expect(events(ssParser, line)).toHaveLength(1);
  });
});

describe('ss: headers, IPv6, UDP, interfaces and shared sockets (lab02)', () => {
  it('a header line alone is zero events, not an error', () => {
    const header = fixture('ss', 'ss-tunap-header.txt').split('\n')[0]!;
    expect(ssParser.parse(header, context())).toEqual({ ok: true, events: [] });
    const tlnpHeader = fixture('ss', 'ss-tlnp-header.txt').split('\n')[0]!;
    expect(ssParser.parse(tlnpHeader, context())).toEqual({ ok: true, events: [] });
  });

  it('with and without header give the same events', () => {
    const strip = (list: ReturnType<typeof events>) => list.map(({ 'event.original': _o, ...rest }) => rest);
    expect(strip(events(ssParser, fixture('ss', 'ss-tunap-header.txt')))).toEqual(
      strip(events(ssParser, fixture('ss', 'ss-tunap-noheader.txt'))),
    );
    expect(events(ssParser, fixture('ss', 'ss-tlnp-header.txt'))).toHaveLength(3);
  });

  it('IPv6 listeners, the dual-stack `*`, UDP listeners and connected UDP', () => {
    const all = events(ssParser, fixture('ss', 'ss-tunap-header.txt'));
    expect(all).toHaveLength(9);
    expect(only(all, 'server.port', 8443)).toMatchObject({
      'server.ip': '2001:db8::10',
      'network.type': 'ipv6',
    });
    expect(only(all, 'server.port', 2222)).toMatchObject({
      'server.ip': '::',
      'server.address': '*',
      'network.type': 'ipv6',
      'process.name': 'socat',
    });
    expect(only(all, 'server.port', 5353)).toMatchObject({
      'network.transport': 'udp',
      'network.state': 'UNCONN',
      'event.action': 'socket-listening',
    });
    expect(only(all, 'source.port', 39669)).toMatchObject({
      'network.transport': 'udp',
      'event.action': 'socket-connected',
      'destination.port': 5353,
    });
  });

  it('-ulnp without Netid: UNCONN means udp', () => {
    const [e] = events(ssParser, fixture('ss', 'ss-ulnp-header.txt'));
    expect(e).toMatchObject({
      'network.transport': 'udp',
      'server.port': 5353,
      'process.name': 'nc.openbsd',
    });
  });

  it('%lo interface suffix and a listener shared by two processes', () => {
    const all = events(ssParser, fixture('ss', 'ss-tunap-shared.txt'));
    expect(all).toHaveLength(4);
    const resolver = all.filter((e) => e['server.port'] === 53);
    expect(resolver.map((e) => e['network.transport'])).toEqual(['udp', 'tcp']);
    expect(resolver[1]).toMatchObject({ 'server.ip': '127.0.0.53', 'tuxwatch.server.interface': 'lo' });
    expect(only(all, 'server.port', 31337)).toMatchObject({
      'process.name': 'python3',
      'process.pid': 51,
      'tuxwatch.socket.pids': [51, 8],
      'tuxwatch.socket.process_names': ['python3', 'python3'],
    });
  });

  it('the db02 replay: other ports, same shape', () => {
    const all = events(ssParser, fixture('ss', 'db02-ss-tunap.txt'), context({ host: 'db02' }));
    expect(all).toHaveLength(17);
    expect(only(all, 'process.name', 'initd')).toMatchObject({
      'destination.ip': '198.51.100.23',
      'destination.port': 8443,
    });
  });

  it('anything else in the snapshot rejects the record with the line number', () => {
    const text = `${web01('ss-tlnp.txt')}Netid State\nnot a socket line at all\n`;
    const outcome = ssParser.parse(text, context());
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/^line 6: /);
    const unix = 'u_str ESTAB 0 0 /run/systemd/journal/stdout 1234 * 5678 users:(("x",pid=1,fd=2))';
    expect(ssParser.parse(unix, context())).toMatchObject({ ok: false });
  });
});
