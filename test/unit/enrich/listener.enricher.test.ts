import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import {
  InMemoryHostState,
  ListenerEnricher,
  ListenerReference,
  ListenerReferenceError,
} from '../../../src/enrich';
import { event, parse, readCorpus, readFixture } from './evidence';

const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-listeners-'));

/** listener → its tuxwatch.listener.* facts, keyed "process:port" */
function verdicts(events: readonly SiemEvent[]): Record<string, Record<string, boolean>> {
  const out: Record<string, Record<string, boolean>> = {};
  for (const e of events) {
    if (e['event.action'] !== 'socket-listening') continue;
    const facts: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(e))
      if (k.startsWith('tuxwatch.listener.')) facts[k.slice(18)] = v as boolean;
    out[`${String(e['process.name'])}:${String(e['server.port'])}`] = facts;
  }
  return out;
}

const web01 = (file: string, at?: string): SiemEvent[] =>
  parse(readCorpus('web01', file), { kind: file.startsWith('lsof') ? 'lsof' : 'ss', host: 'web01', at });

describe('ListenerEnricher on web01', () => {
  const enricher = new ListenerEnricher(ListenerReference.load());

  it.each(['ss-tunap.txt', 'ss-tlnp.txt'])('%s: smbd off its ports, netcat, a backdoor port', (file) => {
    expect(verdicts(web01(file).map((e) => enricher.enrich(e)))).toEqual({
      'smbd:31337': { backdoor_port: true, shell: false, expected: false },
      'sshd:22': { backdoor_port: false, shell: false, expected: true },
      'nginx:80': { backdoor_port: false, shell: false, expected: true },
      'nc.openbsd:1337': { backdoor_port: true, shell: true },
      'smbd:8081': { backdoor_port: false, shell: false, expected: false },
    });
  });

  it('lsof cuts COMMAND to 9 characters: "nc.openbs" is still netcat', () => {
    expect(verdicts(web01('lsof-i.txt').map((e) => enricher.enrich(e)))['nc.openbs:1337']).toEqual({
      backdoor_port: true,
      shell: true,
    });
  });

  it('never mutates its input and leaves other events alone', () => {
    const events = web01('ss-tunap.txt'); // frozen: a write would throw
    const out = events.map((e) => enricher.enrich(e));
    expect(out[0]).not.toBe(events[0]);
    expect(events[0]!['tuxwatch.listener.shell']).toBeUndefined();
    const connected = events.find((e) => e['event.action'] === 'socket-connected')!;
    expect(enricher.enrich(connected)).toBe(connected);
  });

  it('an osquery listening_ports row without a process name gets only the port verdict', () => {
    const [row] = parse(readFixture('osquery', 'panther-listening-ports-udp.json'), { kind: 'osquery' });
    expect(verdicts([enricher.enrich(row!)])).toEqual({ 'undefined:55596': { backdoor_port: false } });
  });
});

describe('first_seen needs a baseline from an earlier snapshot', () => {
  it('the first snapshot sets the baseline; the next one flags only what is new', () => {
    const state = new InMemoryHostState();
    const enricher = new ListenerEnricher(ListenerReference.load(), state);
    // db02's real snapshot stands in for an earlier snapshot of the same host
    const first = parse(readFixture('ss', 'db02-ss-tlnp.txt'), {
      kind: 'ss',
      host: 'web01',
      at: '2026-11-26T07:00:00.000Z',
    });
    const firstFacts = verdicts(first.map((e) => enricher.enrich(e)));
    for (const facts of Object.values(firstFacts)) expect(facts['first_seen']).toBeUndefined();
    // an hour later: sshd:22 and nginx:80 were there, the rest is new
    const second = verdicts(web01('ss-tlnp.txt', '2026-11-26T08:00:00.000Z').map((e) => enricher.enrich(e)));
    expect(Object.fromEntries(Object.entries(second).map(([k, v]) => [k, v['first_seen']]))).toEqual({
      'smbd:31337': true,
      'sshd:22': false,
      'nginx:80': false,
      'nc.openbsd:1337': true,
      'smbd:8081': true,
    });
    // lsof of the same moment names netcat "nc.openbs": not new a second time
    const third = verdicts(web01('lsof-i.txt', '2026-11-26T08:30:00.000Z').map((e) => enricher.enrich(e)));
    expect(third['nc.openbs:1337']!['first_seen']).toBe(false);
  });

  it('UDP sockets in the ephemeral range get no first_seen verdict (clients come and go)', () => {
    const state = new InMemoryHostState();
    const enricher = new ListenerEnricher(ListenerReference.load(), state);
    const udp = (port: number, at: string) =>
      event({
        '@timestamp': at,
        'event.dataset': 'socket',
        'event.action': 'socket-listening',
        'network.transport': 'udp',
        'process.name': 'chronyd',
        'server.port': port,
      });
    enricher.enrich(udp(123, '2026-11-26T07:00:00.000Z'));
    expect(enricher.enrich(udp(41234, '2026-11-26T08:00:00.000Z'))['tuxwatch.listener.first_seen']).toBe(
      undefined,
    );
    expect(enricher.enrich(udp(323, '2026-11-26T08:00:00.000Z'))['tuxwatch.listener.first_seen']).toBe(true);
  });
});

describe('expected-listeners reference', () => {
  it('a user file merges over the shipped table: programs by name, lists replaced', () => {
    const file = join(dir, 'site.yml');
    writeFileSync(file, 'programs:\n  sshd: [22, 2222]\n  smbd: any\nbackdoor_ports: [9999]\n');
    const ref = ListenerReference.load(file);
    expect(ref.expected('sshd', 2222)).toBe(true);
    expect(ref.expected('smbd', 31337)).toBe(true);
    expect(ref.expected('nginx', 80)).toBe(true); // untouched entries stay
    expect(ref.isBackdoorPort(31337)).toBe(false);
    expect(ref.isBackdoorPort(9999)).toBe(true);
    expect(ref.isShell('bash')).toBe(true); // shells not given: the shipped list stays
  });

  it('ranges, unknown programs, lsof-truncated names', () => {
    const ref = ListenerReference.fromDocuments({
      programs: { 'avahi-daemon': [5353, '32768-60999'], 'nc.traditional': [] },
      shells: ['nc.traditional'],
    });
    expect(ref.expected('avahi-daemon', 40000)).toBe(true);
    expect(ref.expected('avahi-daemon', 61000)).toBe(false);
    expect(ref.expected('python3', 8000)).toBeUndefined();
    expect(ref.expected('nc.tradit', 1)).toBe(false);
    expect(ref.isShell('nc.tradit')).toBe(true);
    expect(ref.isShell('nc.tra')).toBe(false);
  });

  it('a malformed file is a readable error naming the place', () => {
    const bad = (text: string) => {
      const file = join(dir, `bad-${Math.random()}.yml`);
      writeFileSync(file, text);
      return () => ListenerReference.load(file);
    };
    expect(bad('programs:\n  sshd: [twenty-two]\n')).toThrow(/programs\.sshd\[0\]/);
    expect(bad('programs:\n  sshd: [70000]\n')).toThrow(ListenerReferenceError);
    expect(bad('programs:\n  x: ["9-1"]\n')).toThrow(/backwards/);
    expect(bad('ports: [1]\n')).toThrow(/unknown key "ports"/);
    expect(bad('shells: bash\n')).toThrow(/shells: expected a list/);
    expect(() => ListenerReference.load(join(dir, 'missing.yml'))).toThrow(/cannot read/);
  });
});
