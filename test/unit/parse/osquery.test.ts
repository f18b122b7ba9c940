import { describe, expect, it } from 'vitest';
import type { MutableEvent } from '../../../src/domain/event';
import { osqueryParser } from '../../../src/parse/parsers/osquery';
import { mapOsqueryRow, tableOf, type OsqueryRow } from '../../../src/parse/parsers/osquery-tables';
import { context, events, fixture, reasonOf } from './evidence-fixtures';

describe('osquery results log (published samples)', () => {
  it('event format: one row, unixTime, the old `hostname` key', () => {
    const [e, ...rest] = events(osqueryParser, fixture('osquery', 'docs-event-added.json'));
    expect(rest).toHaveLength(0);
    expect(e).toMatchObject({
      '@timestamp': '2014-10-01T00:37:30.000Z',
      'host.name': 'hostname.local',
      'event.dataset': 'osquery',
      'tuxwatch.osquery.query': 'processes',
      'tuxwatch.osquery.diff': 'added',
      'osquery.name': 'osqueryd',
      'osquery.pid': '97830',
    });
    expect(e!['event.original']).toBe(fixture('osquery', 'docs-event-added.json'));
    const [removed] = events(osqueryParser, fixture('osquery', 'docs-event-removed.json'));
    expect(removed).toMatchObject({ 'tuxwatch.osquery.diff': 'removed', 'osquery.pid': '97650' });
  });

  it('batch format: added and removed rows, each with its own part as event.original', () => {
    const list = events(osqueryParser, fixture('osquery', 'docs-batch.json'));
    expect(list.map((e) => [e['tuxwatch.osquery.diff'], e['osquery.pid']])).toEqual([
      ['added', '97830'],
      ['removed', '97650'],
    ]);
    expect(JSON.parse(list[1]!['event.original'])).toMatchObject({
      action: 'removed',
      columns: { pid: '97650' },
    });
  });

  it('snapshot format: one event per row, hostIdentifier', () => {
    const list = events(osqueryParser, fixture('osquery', 'docs-snapshot.json'));
    expect(list).toHaveLength(4);
    expect(list.map((e) => e['osquery.path'])).toEqual([
      '/sbin/launchd',
      '/usr/sbin/syslogd',
      '/usr/libexec/UserEventAgent',
      '/usr/libexec/kextd',
    ]);
    expect(
      list.every(
        (e) => e['host.name'] === 'hostname.local' && e['@timestamp'] === '2016-05-02T22:27:32.000Z',
      ),
    ).toBe(true);
  });

  it('a results log file: each line is a record', () => {
    const lines = fixture('osquery', 'integrations-results.log').trim().split('\n');
    const list = lines.flatMap((l) => events(osqueryParser, l));
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({
      'host.name': '192-168-0-4.rdsnet.ro',
      'tuxwatch.osquery.query': 'pack_it-compliance_mounts',
      'tuxwatch.osquery.diff': 'removed',
      'osquery.path': '/private/var/vm',
      '@timestamp': '2017-12-28T14:40:08.000Z',
    });
  });

  it('listening_ports (the query name says so): a UDP listener, pid without a name', () => {
    const [e] = events(osqueryParser, fixture('osquery', 'panther-listening-ports-udp.json'));
    expect(e).toMatchObject({
      'event.dataset': 'socket',
      'event.action': 'socket-listening',
      'network.transport': 'udp',
      'network.type': 'ipv4',
      'server.ip': '0.0.0.0',
      'server.port': 55596,
      'process.pid': 75165,
      'host.name': 'jaguar.local',
      '@timestamp': '2018-09-11T16:14:21.000Z',
    });
    expect(e!['process.name']).toBeUndefined();
  });

  it('rejects results without a query name, unixTime or rows', () => {
    expect(reasonOf(osqueryParser, '{"name":"x","hostIdentifier":"h","columns":{"a":"1"}}')).toMatch(
      /unixTime/,
    );
    expect(reasonOf(osqueryParser, '{"hostIdentifier":"h","unixTime":"1","columns":{}}')).toMatch(/name/);
    expect(reasonOf(osqueryParser, '{"name":"x","unixTime":1,"snapshot":[{"a":{"b":1}}]}')).toMatch(/row/);
    expect(reasonOf(osqueryParser, '{"name":"x","unixTime":1,"hostIdentifier":"h"}')).toMatch(/columns/);
  });
});

describe('osquery tables: which one a row came from, and its ECS fields', () => {
  const base = (): MutableEvent => ({ '@timestamp': '2015-04-16T18:25:12.000Z', 'event.original': '{}' });
  const row = JSON.parse(fixture('osquery', 'docs-file-events-row.json')) as OsqueryRow;

  it('the query name wins; columns decide when the name says nothing', () => {
    expect(tableOf('pack_incident-response_listening_ports', {})).toBe('listening_ports');
    expect(tableOf('pack/fim/file_events', {})).toBe('file_events');
    expect(tableOf('fim', row)).toBe('file_events');
    expect(tableOf('ports', { port: '22', address: '0.0.0.0', protocol: '6' })).toBe('listening_ports');
    expect(tableOf('conns', { local_address: 'a', remote_address: 'b' })).toBe('process_open_sockets');
    expect(tableOf('setuid', { path: '/x', username: 'root', groupname: 'root', permissions: 'S' })).toBe(
      'suid_bin',
    );
    expect(tableOf('mounts', { path: '/' })).toBe('other');
  });

  it("the FIM docs' file_events row: ATTRIBUTES_MODIFIED at the row's own time", () => {
    const e = mapOsqueryRow('file_events', row, 'added', base());
    expect(e).toMatchObject({
      '@timestamp': '2015-04-16T18:25:12.000Z',
      'event.dataset': 'file_integrity',
      'event.type': ['change'],
      'event.action': ['attributes_modified'],
      'file.path': '/root/.ssh/authorized_keys',
      'file.name': 'authorized_keys',
      'file.hash.sha256': 'd0d3bf53d6ae228122136f11414baabcdc3d52a7db9736dd256ad81229c8bfac',
      'osquery.category': 'homes',
    });
  });

  it('suid_bin rows: added puts the bits in file.*, removed under previous, a snapshot is info', () => {
    const suid: OsqueryRow = {
      path: '/usr/local/bin/.rootsh',
      username: 'root',
      groupname: 'root',
      permissions: 'S',
    };
    expect(mapOsqueryRow('suid_bin', suid, 'added', base())).toMatchObject({
      'file.setuid': true,
      'file.setgid': false,
      'file.owner': 'root',
      'event.type': ['change'],
    });
    expect(mapOsqueryRow('suid_bin', suid, 'removed', base())).toMatchObject({
      'tuxwatch.file.previous.setuid': true,
    });
    expect(mapOsqueryRow('suid_bin', { ...suid, permissions: 'SG' }, 'snapshot', base())).toMatchObject({
      'event.type': ['info'],
      'file.setgid': true,
    });
  });

  it('process_open_sockets: a connection with its state, or a listener', () => {
    const conn: OsqueryRow = {
      pid: '415',
      family: '2',
      protocol: '6',
      local_address: '203.0.113.50',
      local_port: '46788',
      remote_address: '203.0.113.50',
      remote_port: '1337',
      state: 'ESTABLISHED',
      name: 'initd',
    };
    expect(mapOsqueryRow('process_open_sockets', conn, 'added', base())).toMatchObject({
      'event.action': 'socket-connected',
      'network.state': 'ESTAB',
      'destination.port': 1337,
      'process.name': 'initd',
    });
    const listen: OsqueryRow = {
      ...conn,
      local_address: '::',
      local_port: '22',
      remote_address: '::',
      remote_port: '0',
      state: 'LISTEN',
      family: '10',
    };
    expect(mapOsqueryRow('process_open_sockets', listen, 'added', base())).toMatchObject({
      'event.action': 'socket-listening',
      'server.ip': '::',
      'network.type': 'ipv6',
    });
  });

  it('context from a whole line stays on the mapped event', () => {
    const [e] = events(
      osqueryParser,
      fixture('osquery', 'panther-listening-ports-udp.json'),
      context({ host: undefined }),
    );
    expect(e!['tuxwatch.osquery.counter']).toBe('33');
  });
});
