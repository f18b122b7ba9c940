import { describe, expect, it } from 'vitest';
import { AlertFolder } from '../../../src/alert/alert-folder';
import type { Alert } from '../../../src/domain/alert';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-26T08:00:00.000Z');

/** An alert as the builder makes them, reduced to what folding reads. */
const alert = (host: string, user: string, at: number): Alert => ({
  id: `${host}/${user}/${at}`,
  index: 'tuxwatch-alerts-2026.11',
  fields: {
    '@timestamp': new Date(at).toISOString(),
    'rule.id': 'ssh-failed-login',
    'host.name': host,
    'user.name': user,
  },
});

describe('AlertFolder memory', () => {
  it('forgets findings a whole window behind their host’s event time; a late repeat reopens the same id', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const [first] = folder.fold([alert('web01', 'root', T0)]);
    expect(first!.isNew).toBe(true);
    expect(folder.fold([alert('web01', 'root', T0 + MINUTE)])[0]!.isNew).toBe(false);
    // another host far ahead in time does not age web01's findings
    folder.fold(Array.from({ length: 1_000 }, (_, i) => alert('db02', `u${i}`, T0 + 60 * MINUTE)));
    expect(folder.size).toBe(1_001);
    // web01 moves on: 25 minutes later its 08:00 slot (ends 08:10) is more than a window behind
    folder.fold(Array.from({ length: 1_000 }, (_, i) => alert('web01', `v${i}`, T0 + 25 * MINUTE)));
    expect(folder.size).toBe(2_000);
    const [late] = folder.fold([alert('web01', 'root', T0 + 2 * MINUTE)]);
    expect(late!.isNew).toBe(true);
    expect(late!.alert.id).toBe(first!.alert.id);
    expect(late!.alert.fields['tuxwatch.alert.count']).toBe(1);
  });

  it('stays bounded when event time stands still', () => {
    const folder = new AlertFolder(10 * MINUTE, { maxFindings: 500 });
    folder.fold(Array.from({ length: 2_000 }, (_, i) => alert('web01', `u${i}`, T0)));
    expect(folder.size).toBe(500);
  });
});

/** A socket alert as ss (full name, no user) or lsof (name cut to 9, user) gives it. */
const listener = (module: string, name: string, extra: Record<string, string | number> = {}): Alert => ({
  id: `${module}/${name}`,
  index: 'tuxwatch-alerts-2026.11',
  fields: {
    '@timestamp': new Date(T0).toISOString(),
    'rule.id': 'suspicious-listener',
    'host.name': 'web01',
    'event.module': module,
    'event.action': 'socket-listening',
    'network.transport': 'tcp',
    'server.port': 1337,
    'process.pid': 413,
    'process.name': name,
    ...extra,
  },
});
const psEvent = (pid: number, name: string, at = T0) => ({
  '@timestamp': new Date(at).toISOString(),
  'event.original': `root ${pid} … ${name} -lk 1337`,
  'event.module': 'ps',
  'event.category': ['process'],
  'host.name': 'web01',
  'process.pid': pid,
  'process.name': name,
  'process.executable': `/usr/bin/${name}`,
  'user.name': 'root',
});

describe('AlertFolder: one socket finding across ss, lsof and ps', () => {
  it('folds lsof and ss sightings by (host, transport, port, pid): full name, lsof’s user, both sources', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const [first] = folder.fold([listener('lsof', 'nc.openbs', { 'user.name': 'root' })]);
    const [second] = folder.fold([listener('ss', 'nc.openbsd')]);
    expect(second!.isNew).toBe(false);
    expect(second!.alert.id).toBe(first!.alert.id);
    expect(second!.alert.fields).toMatchObject({
      'process.name': 'nc.openbsd',
      'user.name': 'root',
      'tuxwatch.alert.count': 2,
      'tuxwatch.alert.sources': ['lsof', 'ss'],
    });
  });

  it("audit's listener, which does not say TCP or UDP, and ss's are one finding (host, port, pid)", () => {
    const folder = new AlertFolder(10 * MINUTE);
    const audit = listener('auditd', 'nc.openbsd', { 'process.executable': '/usr/bin/nc.openbsd' });
    const { 'network.transport': _transport, ...fields } = audit.fields;
    const [first] = folder.fold([{ ...audit, fields }]);
    const [second] = folder.fold([listener('ss', 'nc.openbsd')]);
    expect(second!.isNew).toBe(false);
    expect(second!.alert.id).toBe(first!.alert.id);
    expect(second!.alert.fields).toMatchObject({
      'network.transport': 'tcp',
      'process.executable': '/usr/bin/nc.openbsd',
      'tuxwatch.alert.sources': ['auditd', 'ss'],
    });
    // another program on the port is another finding
    const [other] = folder.fold([listener('ss', 'socat', { 'process.pid': 999 })]);
    expect(other!.isNew).toBe(true);
  });

  it('without a pid (ss -tuln names no process), a TCP and a UDP listener on one port are two findings', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const pidless = (transport: string): Alert => {
      const a = listener('ss', '', { 'network.transport': transport });
      const { 'process.pid': _pid, 'process.name': _name, ...fields } = a.fields;
      return { ...a, fields };
    };
    const [tcp] = folder.fold([pidless('tcp')]);
    const [udp] = folder.fold([pidless('udp')]);
    expect(udp!.isNew).toBe(true);
    expect(udp!.alert.id).not.toBe(tcp!.alert.id);
  });

  it('a ps snapshot read after the finding completes it and hands it back as an update', () => {
    const folder = new AlertFolder(10 * MINUTE);
    folder.fold([listener('lsof', 'nc.openbs')]);
    const [updated] = folder.fold([], [psEvent(413, 'nc.openbsd')]);
    expect(updated!.isNew).toBe(false);
    expect(updated!.alert.fields).toMatchObject({
      'process.name': 'nc.openbsd',
      'process.executable': '/usr/bin/nc.openbsd',
      'tuxwatch.alert.sources': ['lsof', 'ps'],
      'tuxwatch.alert.count': 1,
    });
    // nothing new to say: no update
    expect(folder.fold([], [psEvent(413, 'nc.openbsd')])).toEqual([]);
  });

  it('a ps snapshot read before completes the finding when it opens', () => {
    const folder = new AlertFolder(10 * MINUTE);
    expect(folder.fold([], [psEvent(413, 'nc.openbsd')])).toEqual([]);
    const [opened] = folder.fold([listener('lsof', 'nc.openbs')]);
    expect(opened!.isNew).toBe(true);
    expect(opened!.alert.fields['process.executable']).toBe('/usr/bin/nc.openbsd');
  });

  it('a pid reused by another program, or seen far from the finding, is not the same process', () => {
    const folder = new AlertFolder(10 * MINUTE);
    folder.fold([listener('lsof', 'nc.openbs')]);
    expect(folder.fold([], [psEvent(413, 'cron')])).toEqual([]);
    expect(folder.fold([], [psEvent(413, 'nc.openbsd', T0 + 60 * MINUTE)])).toEqual([]);
  });

  it('another program under another pid on the same port is another finding', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const [a] = folder.fold([listener('ss', 'nc.openbsd')]);
    const [b] = folder.fold([listener('ss', 'socat', { 'process.pid': 999 })]);
    expect(b!.isNew).toBe(true);
    expect(b!.alert.id).not.toBe(a!.alert.id);
  });
});

describe('AlertFolder: one process seen from two pid namespaces (auditd: the host’s pid; ss, lsof, ps in a container: its own)', () => {
  const audit = (): Alert =>
    listener('auditd', 'smbd-backdoor', {
      'process.pid': 26687,
      'process.executable': '/tmp/gen.wRUM/bin/smbd-backdoor',
      'server.ip': '0.0.0.0',
    });
  const inside = (module: string, name: string, extra: Record<string, string | number> = {}): Alert =>
    listener(module, name, { 'process.pid': 411, 'server.ip': '0.0.0.0', ...extra });

  it('ss and lsof (its name cut to 9) under the namespace’s pid fold into the audited finding, in any order', () => {
    const sighting = (module: string): Alert =>
      module === 'auditd'
        ? audit()
        : module === 'lsof'
          ? inside('lsof', 'smbd-back', { 'user.name': 'root' })
          : inside('ss', 'smbd-backdoor');
    for (const order of [
      ['auditd', 'ss', 'lsof'],
      ['ss', 'auditd', 'lsof'],
      ['lsof', 'ss', 'auditd'],
    ]) {
      const folder = new AlertFolder(10 * MINUTE);
      const seen = order.map((m) => folder.fold([sighting(m)])[0]!);
      expect(new Set(seen.map((f) => f.alert.id)).size, order.join(',')).toBe(1);
      // both pids, the first occurrence's first
      expect(seen.at(-1)!.alert.fields['tuxwatch.process.pids']).toEqual(
        order[0] === 'auditd' ? [26687, 411] : [411, 26687],
      );
      expect(seen.slice(1).every((f) => !f.isNew)).toBe(true);
      expect(seen.at(-1)!.alert.fields).toMatchObject({
        'process.name': 'smbd-backdoor',
        'process.executable': '/tmp/gen.wRUM/bin/smbd-backdoor',
        'user.name': 'root',
        'tuxwatch.alert.count': 3,
        'tuxwatch.alert.sources': ['auditd', 'lsof', 'ss'],
      });
    }
  });

  it('the process facts of the other pid complete the finding too', () => {
    const folder = new AlertFolder(10 * MINUTE);
    folder.fold([audit()]);
    folder.fold([inside('ss', 'smbd-backdoor')]);
    const ps = psEvent(411, 'smbd-backdoor');
    const [updated] = folder.fold([], [{ ...ps, 'process.command_line': 'smbd-backdoor -lk 0.0.0.0 1337' }]);
    expect(updated!.isNew).toBe(false);
    expect(updated!.alert.fields).toMatchObject({
      'process.pid': 26687,
      'user.name': 'root',
      'process.command_line': 'smbd-backdoor -lk 0.0.0.0 1337',
    });
  });

  it('another executable, command line or listening address, or an unnamed process, is not the same process', () => {
    const differs: Record<string, string | number>[] = [
      { 'process.executable': '/usr/sbin/smbd-backdoor' },
      { 'server.ip': '10.0.0.5' },
    ];
    for (const extra of differs) {
      const folder = new AlertFolder(10 * MINUTE);
      const [a] = folder.fold([audit()]);
      const [b] = folder.fold([inside('ss', 'smbd-backdoor', extra)]);
      expect(b!.alert.id, JSON.stringify(extra)).not.toBe(a!.alert.id);
    }
    const folder = new AlertFolder(10 * MINUTE);
    const [a] = folder.fold([
      listener('auditd', 'smbd', { 'process.pid': 26687, 'process.command_line': 'smbd -lk 0.0.0.0 1337' }),
    ]);
    const [b] = folder.fold([inside('ps', 'smbd', { 'process.command_line': 'smbd -lk 127.0.0.1 1337' })]);
    expect(b!.alert.id).not.toBe(a!.alert.id);
    const [c] = folder.fold([inside('ss', '', { 'process.pid': 77 })]);
    expect(c!.isNew).toBe(true);
  });

  it('the service forgets a finding with its other pids; seen again, they fold again', () => {
    const folder = new AlertFolder(10 * MINUTE, { maxFindings: 1 });
    const [a] = folder.fold([audit()]);
    folder.fold([inside('ss', 'smbd-backdoor')]);
    // another finding takes the only place: the first is forgotten, its other pid with it
    folder.fold([listener('ss', 'sshd', { 'server.port': 2222, 'process.pid': 5 })]);
    const [inAgain] = folder.fold([inside('ss', 'smbd-backdoor')]);
    expect(inAgain!.isNew).toBe(true);
    expect(inAgain!.alert.id).not.toBe(a!.alert.id);
    const [auditAgain] = folder.fold([audit()]);
    expect(auditAgain!.alert.id).toBe(inAgain!.alert.id);
    expect(auditAgain!.alert.fields['tuxwatch.alert.count']).toBe(2);
  });
});

describe('AlertFolder counts occurrences', () => {
  it('an alert on an event standing for N occurrences (tuxwatch.event.count) adds N to the fold count', () => {
    const folder = new AlertFolder(10 * MINUTE);
    const repeated = (at: number, n: number): Alert => {
      const a = alert('web01', 'root', at);
      return { ...a, fields: { ...a.fields, 'tuxwatch.event.count': n } };
    };
    expect(folder.fold([repeated(T0, 10_000)])[0]!.alert.fields['tuxwatch.alert.count']).toBe(10_000);
    const [again] = folder.fold([alert('web01', 'root', T0 + 1_000), repeated(T0 + 2_000, 5)]);
    expect(again!.alert.fields['tuxwatch.alert.count']).toBe(10_006);
  });
});
