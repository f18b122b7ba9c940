import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../../src/detect/engine';
import { osqueryParser } from '../../../src/parse/parsers/osquery';
import { compile, ruleYaml } from '../detect/helpers';
import { events, fixture } from './evidence-fixtures';

describe('osquery process_events and socket_events (osquery docs samples)', () => {
  it('a process_events row is a process start at its own time', () => {
    const [e] = events(osqueryParser, fixture('osquery', 'docs-process-events.json'));
    expect(e).toMatchObject({
      '@timestamp': '2018-06-01T23:25:41.000Z',
      'event.created': '2018-06-01T23:25:50.000Z',
      'host.name': 'vagrant',
      'event.dataset': 'process',
      'event.category': ['process'],
      'event.type': ['start'],
      'process.pid': 30219,
      'process.executable': '/usr/bin/curl',
      'process.name': 'curl',
      'process.command_line': 'curl google.com',
      'process.args': ['curl', 'google.com'],
      'user.id': '0',
      'user.effective.id': '0',
      'user.audit.id': '1000',
    });
    // published with an empty parent and cwd: no field rather than an empty one
    expect(e!['process.parent.pid']).toBeUndefined();
    expect(e!['process.working_directory']).toBeUndefined();
    const rule = ruleYaml(
      "  selection:\n    Image|endswith: '/curl'\n    LogonId: 1000\n  condition: selection",
      'product: linux\n  category: process_creation',
    );
    expect(new DetectionEngine(compile(rule).rules).evaluate(e!)).toHaveLength(1);
  });

  it('a fork row (syscall fork) is no process creation', () => {
    const forked = fixture('osquery', 'docs-process-events.json').replace(
      '"parent": ""',
      '"parent": "1", "syscall": "fork"',
    );
    const [e] = events(osqueryParser, forked);
    expect(e).toMatchObject({ 'event.type': ['change'], 'event.action': 'forked', 'process.parent.pid': 1 });
  });

  it('a socket_events connect is an outbound connection network_connection rules see', () => {
    const [e] = events(osqueryParser, fixture('osquery', 'docs-socket-events.json'));
    expect(e).toMatchObject({
      '@timestamp': '2018-06-01T23:25:41.000Z',
      'event.dataset': 'socket',
      'event.action': 'socket-connected',
      'event.outcome': 'success',
      'network.direction': 'egress',
      'network.type': 'ipv4',
      'destination.ip': '172.217.164.110',
      'destination.port': 80,
      'process.pid': 30220,
      'process.executable': '/usr/bin/curl',
    });
    expect(e!['source.ip']).toBeUndefined();
    const rule = ruleYaml(
      "  selection:\n    Image|endswith: '/curl'\n    Initiated: 'true'\n    DestinationPort: 80\n  condition: selection",
      'product: linux\n  category: network_connection',
    );
    expect(new DetectionEngine(compile(rule).rules).evaluate(e!)).toHaveLength(1);
  });
});
