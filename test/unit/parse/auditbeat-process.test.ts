import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../../src/detect/engine';
import { auditbeatParser } from '../../../src/parse/parsers/auditbeat';
import { sniffParser } from '../../../src/parse/registry';
import { compile, ruleYaml } from '../detect/helpers';
import { events, fixture } from './evidence-fixtures';

const processRule = ruleYaml(
  "  selection:\n    Image|endswith: '/zsh'\n    CurrentDirectory: '/home/elastic'\n  condition: selection",
  'product: linux\n  category: process_creation',
);
const fileRule = ruleYaml(
  "  selection:\n    TargetFilename|startswith: '/etc/cron.'\n  condition: selection",
  'product: linux\n  category: file_event',
);

describe('Auditbeat system/process and auditd events', () => {
  it('system/process process_stopped is a process end, sniffed as auditbeat', () => {
    const text = fixture('auditbeat', 'beats-system-process-stopped.json');
    expect(sniffParser(text)?.kind).toBe('auditbeat');
    const [e] = events(auditbeatParser, text);
    expect(e).toMatchObject({
      '@timestamp': '2017-10-12T08:05:34.853Z',
      'event.module': 'auditbeat',
      'tuxwatch.source_module': 'system',
      'event.dataset': 'process',
      'event.category': ['process'],
      'event.type': ['end'],
      'event.action': 'process_stopped',
      'process.executable': '/bin/zsh',
      'process.name': 'zsh',
      'process.pid': 9086,
      'process.parent.pid': 9085,
      'process.command_line': 'zsh',
      'process.working_directory': '/home/elastic',
      'user.name': 'elastic',
    });
  });

  it('process_stopped raises no process_creation rule; the same process started does', () => {
    const engine = new DetectionEngine(compile(processRule).rules);
    const [stopped] = events(auditbeatParser, fixture('auditbeat', 'beats-system-process-stopped.json'));
    expect(engine.evaluate(stopped!)).toEqual([]);
    const started = events(
      auditbeatParser,
      fixture('auditbeat', 'beats-system-process-stopped.json').replace('process_stopped', 'process_started'),
    )[0]!;
    expect(started['event.type']).toEqual(['start']);
    expect(engine.evaluate(started)).toHaveLength(1);
  });

  it('an auditd module event keeps its fields under dataset auditd, never the file-integrity shape', () => {
    const text = fixture('auditbeat', 'beats-auditd-user-login.json');
    expect(sniffParser(text)?.kind).toBe('auditbeat');
    const [e] = events(auditbeatParser, text);
    expect(e).toMatchObject({
      'event.dataset': 'auditd',
      'tuxwatch.source_module': 'auditd',
      'event.category': ['user-login'],
      'auditd.summary.how': '/usr/sbin/sshd',
      'source.ip': '179.38.151.221',
      'host.name': 'host.example.com',
    });
  });

  it('an auditd execve naming its program in file.path is a process start, not a file rule hit', () => {
    // the shape the issue reports (an execution of /etc/cron.hourly/0anacron read as "cron file created"),
    // on the published auditd sample: its action and file as Auditbeat writes them for an execve
    const exec = JSON.parse(fixture('auditbeat', 'beats-auditd-user-login.json')) as Record<string, unknown>;
    exec['event'] = { action: 'executed', category: 'audit-rule', module: 'auditd', type: 'syscall' };
    exec['file'] = { path: '/etc/cron.hourly/0anacron', mode: '0755' };
    exec['process'] = {
      pid: '13221',
      ppid: '13220',
      executable: '/bin/bash',
      args: ['/bin/bash', '/etc/cron.hourly/0anacron'],
    };
    const [e] = events(auditbeatParser, JSON.stringify(exec));
    expect(e).toMatchObject({
      'event.dataset': 'process',
      'event.type': ['start'],
      'process.pid': 13221,
      'process.parent.pid': 13220,
      'process.command_line': '/bin/bash /etc/cron.hourly/0anacron',
    });
    expect(e!['file.path']).toBeUndefined();
    expect(new DetectionEngine(compile(fileRule).rules).evaluate(e!)).toEqual([]);
  });
});
