import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DetectionEngine, loadRuleSet } from '../../../src/detect/engine';
import { createEnrichers, InMemoryHostState } from '../../../src/enrich';
import { SIGMA_LINUX } from '../../support/corpus';
import { auditbeatParser } from '../../../src/parse/parsers/auditbeat';
import { sniffParser } from '../../../src/parse/registry';
import { compile, ruleYaml } from '../detect/helpers';
import { events, fixture, only } from './evidence-fixtures';

/** Auditbeat 7.17.29's own output for a dropper in /tmp starting a shell (capture-auditbeat.sh). */
const chain = (): string[] =>
  fixture('auditbeat', 'lab04-auditd-exec-chain.ndjson')
    .split('\n')
    .filter((l) => l.trim() !== '');
const events_ = (doc: string) => events(auditbeatParser, doc);

const processRule = ruleYaml(
  "  selection:\n    Image|endswith: '/zsh'\n    CurrentDirectory: '/home/elastic'\n  condition: selection",
  'product: linux\n  category: process_creation',
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

  it('a recorded Auditbeat 7.17 execve chain: each executed event is a process start without its PATH file', () => {
    const docs = chain();
    const events = docs.flatMap((d) => events_(d));
    const executed = events.filter((e) => e['event.action'] === 'executed');
    expect(executed.map((e) => e['process.executable'])).toEqual([
      '/usr/bin/mount',
      '/usr/bin/mkdir',
      '/tmp/.x/dbus-update',
      '/usr/bin/dash',
      '/usr/bin/id',
      '/usr/bin/uname',
      '/usr/bin/cp',
    ]);
    for (const e of executed) {
      expect(e).toMatchObject({ 'event.dataset': 'process', 'event.type': ['start'], 'host.name': 'lab04' });
      expect(Object.keys(e).filter((k) => k.startsWith('file.'))).toEqual([]);
    }
    // Auditbeat did name the program as the event's file: the file rule below would see it otherwise
    const mount = docs.find((d) => d.includes('"executed"') && d.includes('"/usr/bin/mount"'))!;
    expect((JSON.parse(mount) as { file: { path: string } }).file.path).toBe('/usr/bin/mount');
    expect(only(executed, 'process.executable', '/usr/bin/dash')).toMatchObject({
      'process.pid': 32010,
      'process.parent.pid': 32006,
      'process.command_line': '/bin/sh -c id; uname -r',
      'process.working_directory': '/tmp/.x',
      'user.audit.id': '4242',
    });
    // the rest of the trail (login uid change, the write to /proc/self/loginuid, audit configuration) stays auditd
    expect(events.filter((e) => e['event.dataset'] !== 'process').map((e) => e['event.dataset'])).toEqual([
      'auditd',
      'auditd',
      'auditd',
      'auditd',
    ]);
  });

  it('no file rule fires on the chain; the process_creation rule on a shell started from /tmp does, by lineage', async () => {
    const binFileRule = ruleYaml(
      "  selection:\n    TargetFilename|startswith: '/usr/bin/'\n  condition: selection",
      'product: linux\n  category: file_event',
    );
    const sigma = await loadRuleSet([
      resolve(SIGMA_LINUX, 'linux', 'file_event'),
      resolve(
        SIGMA_LINUX,
        'linux',
        'process_creation',
        'proc_creation_lnx_susp_shell_child_process_from_parent_tmp_folder.yml',
      ),
    ]);
    const engine = new DetectionEngine([...compile(binFileRule).rules, ...sigma.rules]);
    const enrichers = createEnrichers({ state: new InMemoryHostState() });
    const fired = chain()
      .flatMap((d) => events_(d))
      .map((e) => enrichers.reduce((acc, x) => x.enrich(acc), e))
      .flatMap((e) => engine.evaluate(e).map((d) => ({ rule: d.rule.id, event: d.event })));
    expect(fired.map((f) => f.rule)).toEqual([
      'proc_creation_lnx_susp_shell_child_process_from_parent_tmp_folder',
    ]);
    expect(fired[0]!.event).toMatchObject({
      'process.executable': '/usr/bin/dash',
      'process.parent.executable': '/tmp/.x/dbus-update',
      'process.parent.command_line': './dbus-update -c /bin/sh -c "id; uname -r"; exit 0',
    });
  });
});
