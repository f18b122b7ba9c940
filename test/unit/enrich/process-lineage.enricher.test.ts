import { describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { InMemoryHostState, PROCESS_TEXT_LIMIT, ProcessLineageEnricher } from '../../../src/enrich';
import { event, parse, readCorpus } from './evidence';

/** Process events in the shape every exec source's parser writes (audit EXECVE, Auditbeat, osquery). */
const exec = (at: string, pid: number, ppid: number | undefined, argv: string[], host = 'web02'): SiemEvent =>
  event({
    '@timestamp': at,
    'host.name': host,
    'event.category': ['process'],
    'event.type': ['start'],
    'process.pid': pid,
    ...(ppid !== undefined && { 'process.parent.pid': ppid }),
    'process.executable': argv[0]!,
    'process.name': argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1),
    'process.args': argv,
    'process.command_line': argv.join(' '),
  });

const exit = (at: string, pid: number, host = 'web02'): SiemEvent =>
  event({
    '@timestamp': at,
    'host.name': host,
    'event.category': ['process'],
    'event.type': ['end'],
    'process.pid': pid,
  });

const sshd = exec('2026-11-27T10:00:00.000Z', 700, 1, ['/usr/sbin/sshd', '-D', '-R']);
const bash = exec('2026-11-27T10:00:01.000Z', 701, 700, ['/bin/bash']);
const useradd = exec('2026-11-27T10:00:05.000Z', 702, 701, ['/usr/sbin/useradd', '-o', '-u', '0', 'r00t']);

describe('ProcessLineageEnricher', () => {
  it('names the parent of an exec from the exec that started the parent (sshd → bash → useradd)', () => {
    const lineage = new ProcessLineageEnricher(new InMemoryHostState());
    const [, b, u] = [sshd, bash, useradd].map((e) => lineage.enrich(e));
    expect(b).toMatchObject({
      'process.parent.executable': '/usr/sbin/sshd',
      'process.parent.command_line': '/usr/sbin/sshd -D -R',
      'process.parent.name': 'sshd',
      'process.parent.args': ['/usr/sbin/sshd', '-D', '-R'],
    });
    expect(u).toMatchObject({ 'process.parent.executable': '/bin/bash', 'process.parent.name': 'bash' });
    expect(useradd['process.parent.executable']).toBeUndefined(); // input not mutated
  });

  it('keeps a parent the source named itself, and leaves events without a parent pid alone', () => {
    const lineage = new ProcessLineageEnricher(new InMemoryHostState());
    lineage.enrich(sshd);
    const named = event({ ...bash, 'process.parent.executable': '/usr/bin/sshd-session' });
    expect(lineage.enrich(named)).toBe(named);
    const orphan = exec('2026-11-27T10:00:02.000Z', 703, undefined, ['/bin/true']);
    expect(lineage.enrich(orphan)).toBe(orphan);
    const unknownParent = exec('2026-11-27T10:00:02.000Z', 704, 4242, ['/bin/true']);
    expect(lineage.enrich(unknownParent)).toBe(unknownParent);
  });

  it('keeps hosts apart', () => {
    const lineage = new ProcessLineageEnricher(new InMemoryHostState());
    lineage.enrich(sshd);
    const elsewhere = exec('2026-11-27T10:00:01.000Z', 701, 700, ['/bin/bash'], 'web01');
    expect(lineage.enrich(elsewhere)['process.parent.executable']).toBeUndefined();
  });

  it('forgets a process at its end, unless the end is older than the start it would forget', () => {
    const state = new InMemoryHostState();
    const lineage = new ProcessLineageEnricher(state);
    lineage.enrich(sshd);
    lineage.enrich(exit('2026-11-27T09:59:00.000Z', 700)); // the previous holder of pid 700
    expect(state.process('web02', '700')?.executable).toBe('/usr/sbin/sshd');
    lineage.enrich(exit('2026-11-27T10:30:00.000Z', 700));
    expect(state.process('web02', '700')).toBeUndefined();
    expect(lineage.enrich(bash)['process.parent.executable']).toBeUndefined();
  });

  it('a reused pid names the process that held it at the time of the event', () => {
    const state = new InMemoryHostState();
    const lineage = new ProcessLineageEnricher(state);
    lineage.enrich(sshd);
    // exec replaces the image in the same pid
    lineage.enrich(exec('2026-11-27T10:10:00.000Z', 700, 1, ['/usr/bin/python3', 'agent.py']));
    const later = exec('2026-11-27T10:10:01.000Z', 710, 700, ['/bin/sh']);
    expect(lineage.enrich(later)['process.parent.executable']).toBe('/usr/bin/python3');
    // a child that ran before python3 took the pid (records out of order) is not given python3
    expect(lineage.enrich(bash)['process.parent.executable']).toBeUndefined();
  });

  it('names the parent on events of other categories too, never a process as its own parent', () => {
    const lineage = new ProcessLineageEnricher(new InMemoryHostState());
    lineage.enrich(sshd);
    // a connect made by bash (audit SYSCALL connect carries ppid): the parent is named too
    const connect = (pid: number, ppid: number): SiemEvent =>
      event({
        '@timestamp': '2026-11-27T10:00:02.000Z',
        'host.name': 'web02',
        'event.category': ['network'],
        'event.type': ['connection'],
        'process.pid': pid,
        'process.parent.pid': ppid,
        'destination.ip': '203.0.113.9',
      });
    expect(lineage.enrich(connect(701, 700))['process.parent.executable']).toBe('/usr/sbin/sshd');
    expect(lineage.enrich(connect(700, 700))['process.parent.executable']).toBeUndefined();
  });

  it('a ps snapshot teaches long-running parents started before the trail, without a start time', () => {
    const state = new InMemoryHostState();
    const lineage = new ProcessLineageEnricher(state);
    const ps = parse(readCorpus('web01', 'ps-auxww.txt'), {
      kind: 'ps',
      host: 'web01',
      at: '2026-11-26T08:11:30.000Z',
    });
    for (const row of ps) lineage.enrich(row);
    expect(state.process('web01', '415')).toEqual({
      executable: '/tmp/gen.Al5v/bin/initd',
      commandLine: '/tmp/gen.Al5v/bin/initd -d 203.0.113.50 1337',
      name: 'initd',
      args: ['/tmp/gen.Al5v/bin/initd', '-d', '203.0.113.50', '1337'],
    });
    // an exec before the snapshot still gets the parent: the snapshot only says when it was alive
    const child = exec('2026-11-26T08:11:00.000Z', 430, 415, ['/bin/sh', '-c', 'id'], 'web01');
    expect(lineage.enrich(child)).toMatchObject({
      'process.parent.executable': '/tmp/gen.Al5v/bin/initd',
      'process.parent.command_line': '/tmp/gen.Al5v/bin/initd -d 203.0.113.50 1337',
    });
    // sshd's listener rewrote its argv ("sshd: /usr/sbin/sshd ..."): ps gives a name, not an executable
    const session = exec('2026-11-26T08:11:00.000Z', 431, 54, ['/usr/sbin/sshd', '-D', '-R'], 'web01');
    const named = lineage.enrich(session);
    expect(named['process.parent.name']).toBe('sshd');
    expect(named['process.parent.executable']).toBeUndefined();
  });

  it('a snapshot row does not overwrite the richer record of the exec that started the process', () => {
    const state = new InMemoryHostState();
    const lineage = new ProcessLineageEnricher(state);
    lineage.enrich(
      exec('2026-11-26T08:10:00.000Z', 415, 1, ['/tmp/gen.Al5v/bin/initd', '-d', '203.0.113.50', '1337']),
    );
    const [initd] = parse(
      'root         415  0.0  0.0   3216  2012 ?        S    09:11   0:00 /tmp/gen.Al5v/bin/initd -d 203.0.113.50 1337',
      { kind: 'ps', host: 'web02' },
    );
    lineage.enrich(initd!);
    expect(state.process('web02', '415')?.start).toBe('2026-11-26T08:10:00.000Z');
  });

  it('keeps at most PROCESS_TEXT_LIMIT characters of a command line and of its arguments', () => {
    const state = new InMemoryHostState();
    const lineage = new ProcessLineageEnricher(state);
    const long = Array.from({ length: 2000 }, (_, i) => `arg${i}`);
    lineage.enrich(exec('2026-11-27T10:00:00.000Z', 800, 1, ['/usr/bin/xargs', ...long]));
    const kept = state.process('web02', '800')!;
    expect(kept.commandLine).toHaveLength(PROCESS_TEXT_LIMIT);
    expect(kept.args!.join(' ').length).toBeLessThanOrEqual(PROCESS_TEXT_LIMIT);
    expect(kept.args!.slice(0, 2)).toEqual(['/usr/bin/xargs', 'arg0']);
  });

  it('is bounded per host: the least recently used process is forgotten first', () => {
    const state = new InMemoryHostState({ limits: { processesPerHost: 2 } });
    const lineage = new ProcessLineageEnricher(state);
    lineage.enrich(sshd);
    lineage.enrich(bash);
    lineage.enrich(useradd); // reads bash (701): sshd (700) is now the least recently used
    expect(state.process('web02', '700')).toBeUndefined();
    expect(state.process('web02', '701')?.executable).toBe('/bin/bash');
    expect(state.process('web02', '702')?.executable).toBe('/usr/sbin/useradd');
  });

  it('a parent remembered before a restart or a partition move is named after restore', () => {
    const before = new InMemoryHostState();
    new ProcessLineageEnricher(before).enrich(sshd);
    const after = new InMemoryHostState();
    after.restore('web02', before.snapshot('web02')!);
    expect(new ProcessLineageEnricher(after).enrich(bash)['process.parent.executable']).toBe(
      '/usr/sbin/sshd',
    );
  });
});
