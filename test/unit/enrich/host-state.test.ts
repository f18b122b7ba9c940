import { describe, expect, it, vi } from 'vitest';
import { InMemoryHostState, SnapshotError, listenerKey } from '../../../src/enrich';

const fill = (state: InMemoryHostState, host = 'web01'): void => {
  state.putAccount(host, 'tmpadmin', { uid: '1003', gid: '1003', groups: ['sudo'] });
  state.putAccount(host, 'alice', { uid: '1001', groups: [] });
  state.putFile(host, '/usr/local/bin/healthcheck.sh', { mode: '0755', setuid: false, setgid: false });
  state.putFile(host, '/usr/local/bin/.rootsh', { mtime: '2019-01-01T02:04:05.000Z' });
  state.putListener(host, listenerKey('sshd', 22), {
    firstSeen: '2026-11-26T08:13:49.660Z',
    lastSeen: '2026-11-27T08:13:49.660Z',
  });
};

describe('InMemoryHostState', () => {
  it('keeps state per host', () => {
    const state = new InMemoryHostState();
    fill(state);
    expect(state.account('web01', 'tmpadmin')).toEqual({ uid: '1003', gid: '1003', groups: ['sudo'] });
    expect(state.account('db02', 'tmpadmin')).toBeUndefined();
    expect(state.file('web01', '/usr/local/bin/healthcheck.sh')?.mode).toBe('0755');
    expect(state.listener('web01', 'sshd|22')?.firstSeen).toBe('2026-11-26T08:13:49.660Z');
    expect(state.listenerBaseline('web01')).toBe('2026-11-26T08:13:49.660Z');
    expect(state.listenerBaseline('db02')).toBeUndefined();
    expect(state.hosts()).toEqual(['web01']);
  });

  it('snapshot → restore into a fresh state gives the same state and the same snapshot', () => {
    const a = new InMemoryHostState();
    fill(a);
    fill(a, 'db02');
    const json = a.snapshot('web01')!;
    expect(JSON.parse(json)).toMatchObject({ v: 1, host: 'web01' });
    const b = new InMemoryHostState();
    b.restore('web01', json);
    expect(b.snapshot('web01')).toBe(json);
    expect(b.account('web01', 'tmpadmin')).toEqual(a.account('web01', 'tmpadmin'));
    expect(b.file('web01', '/usr/local/bin/.rootsh')).toEqual({ mtime: '2019-01-01T02:04:05.000Z' });
    expect(b.listenerBaseline('web01')).toBe(a.listenerBaseline('web01'));
    expect(b.hosts()).toEqual(['web01']);
    expect(a.snapshot('nobody')).toBeUndefined();
  });

  it('restore keeps the eviction order: the least recently used entry is still evicted first', () => {
    const a = new InMemoryHostState({ limits: { accountsPerHost: 3 } });
    for (const n of ['a', 'b', 'c']) a.putAccount('h', n, { groups: [] });
    a.account('h', 'a'); // a is now the most recently used
    const b = new InMemoryHostState({ limits: { accountsPerHost: 3 } });
    b.restore('h', a.snapshot('h')!);
    b.putAccount('h', 'd', { groups: [] });
    expect(['a', 'b', 'c', 'd'].filter((n) => b.account('h', n) !== undefined)).toEqual(['a', 'c', 'd']);
  });

  it('is bounded: per-host maps and the number of hosts are LRU-limited, also on restore', () => {
    const state = new InMemoryHostState({ limits: { hosts: 2, filesPerHost: 2, listenersPerHost: 1 } });
    for (const p of ['/a', '/b', '/c']) state.putFile('h1', p, { mode: '0644' });
    expect(state.file('h1', '/a')).toBeUndefined();
    expect(state.file('h1', '/c')).toBeDefined();
    state.putFile('h2', '/x', {});
    state.putFile('h3', '/x', {});
    expect(state.hosts()).toEqual(['h2', 'h3']);
    const big = new InMemoryHostState();
    for (let i = 0; i < 5; i++) big.putFile('h', `/f${i}`, { mode: '0644' });
    const small = new InMemoryHostState({ limits: { filesPerHost: 2 } });
    small.restore('h', big.snapshot('h')!);
    expect(JSON.parse(small.snapshot('h')!).files.map(([p]: [string]) => p)).toEqual(['/f3', '/f4']);
  });

  it('rejects what is not a snapshot of that host, and treats keys as data', () => {
    const state = new InMemoryHostState();
    expect(() => state.restore('web01', '{')).toThrow(SnapshotError);
    expect(() => state.restore('web01', '{"v":2}')).toThrow(/version/);
    expect(() => state.restore('web01', '[]')).toThrow(/object/);
    const good = { v: 1, host: 'web01', accounts: [], files: [], listeners: [] };
    expect(() => state.restore('db02', JSON.stringify(good))).toThrow(/for host "web01"/);
    const bad = (patch: object) => () => state.restore('web01', JSON.stringify({ ...good, ...patch }));
    expect(bad({ accounts: [['x', { uid: 0, groups: [] }]] })).toThrow(/accounts\[0\]\[1\]\.uid/);
    expect(bad({ files: [['/x', { setuid: 'yes' }]] })).toThrow(/setuid/);
    expect(bad({ listeners: [['k']] })).toThrow(/not a pair/);
    state.restore(
      'web01',
      JSON.stringify({ ...good, accounts: [['__proto__', { uid: '0', groups: ['sudo'] }]] }),
    );
    expect(state.account('web01', '__proto__')).toEqual({ uid: '0', groups: ['sudo'] });
    expect(({} as Record<string, unknown>)['uid']).toBeUndefined();
  });

  it('processes: snapshot → restore keeps them in order; a snapshot from before processes restores', () => {
    const a = new InMemoryHostState();
    fill(a);
    a.putProcess('web01', '54', {
      executable: '/usr/sbin/sshd',
      args: ['/usr/sbin/sshd', '-D'],
      name: 'sshd',
    });
    a.putProcess('web01', '415', {
      executable: '/tmp/gen.Al5v/bin/initd',
      start: '2026-11-26T08:11:00.000Z',
    });
    const json = a.snapshot('web01')!;
    expect(JSON.parse(json).processes.map(([pid]: [string]) => pid)).toEqual(['54', '415']);
    const b = new InMemoryHostState();
    b.restore('web01', json);
    expect(b.snapshot('web01')).toBe(json);
    expect(b.process('web01', '54')).toEqual(a.process('web01', '54'));
    b.deleteProcess('web01', '54');
    expect(b.process('web01', '54')).toBeUndefined();
    const older = JSON.parse(json) as Record<string, unknown>;
    delete older['processes'];
    const c = new InMemoryHostState();
    c.restore('web01', JSON.stringify(older));
    expect(c.process('web01', '415')).toBeUndefined();
    expect(c.account('web01', 'tmpadmin')?.uid).toBe('1003');
    // a host without processes writes the document it wrote before processes existed
    expect(JSON.parse(c.snapshot('web01')!)).not.toHaveProperty('processes');
  });

  it('over the size cap, the least recently used processes are left out of the snapshot, nothing else', () => {
    const state = new InMemoryHostState();
    fill(state);
    const base = Buffer.byteLength(state.snapshot('web01')!);
    for (let pid = 1; pid <= 100; pid++)
      state.putProcess('web01', String(pid), {
        commandLine: `/usr/bin/worker --id ${pid} ${'x'.repeat(200)}`,
      });
    const capped = state.snapshot('web01', base + 5_000)!;
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(base + 5_000);
    const kept = JSON.parse(capped).processes.map(([pid]: [string]) => Number(pid)) as number[];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(100);
    expect(kept.at(-1)).toBe(100); // the most recent stay
    expect(kept).toEqual(kept.slice().sort((x, y) => x - y));
    expect(JSON.parse(capped).accounts).toHaveLength(2);
    // too small even without processes: the document without them (the service logs and skips it)
    expect(JSON.parse(state.snapshot('web01', 10)!)).not.toHaveProperty('processes');
  });

  it('rejects a malformed process entry, naming where', () => {
    const state = new InMemoryHostState();
    const good = { v: 1, host: 'web01', accounts: [], files: [], listeners: [] };
    const bad = (processes: unknown) => () => state.restore('web01', JSON.stringify({ ...good, processes }));
    expect(bad({})).toThrow(/processes must be an array/);
    expect(bad([['54', { executable: 7 }]])).toThrow(/processes\[0\]\[1\]\.executable/);
    expect(bad([['54', { args: 'sshd -D' }]])).toThrow(/args must be an array/);
    expect(bad([['54', { args: ['sshd', 1] }]])).toThrow(/args\[1\]/);
  });

  it('reports every change through onChange and forgets a dropped host', () => {
    const onChange = vi.fn();
    const state = new InMemoryHostState({ onChange });
    fill(state);
    expect(onChange).toHaveBeenCalledTimes(5);
    expect(new Set(onChange.mock.calls.map(([h]) => h))).toEqual(new Set(['web01']));
    state.deleteAccount('web01', 'nobody');
    expect(onChange).toHaveBeenCalledTimes(5);
    state.drop('web01');
    expect(state.hosts()).toEqual([]);
    expect(state.account('web01', 'tmpadmin')).toBeUndefined();
  });
});
