import { describe, expect, it } from 'vitest';
import { InMemoryCorrelationState } from '../../../src/detect/correlation/correlation-state';
import { InMemoryHostState, listenerKey } from '../../../src/enrich';
import { createLogger } from '../../../src/observability/logger';
import {
  ChangedHosts,
  HostStateSync,
  type StateEntry,
  type StateLog,
} from '../../../src/serve/host-state-sync';

/** The state topic's contract in memory: per partition, the latest value per key. */
class MemoryLog implements StateLog {
  readonly partitions = new Map<number, Map<string, string | null>>();
  failWrites = 0;
  failReads = 0;
  reads: number[][] = [];

  read(partitions: readonly number[]): Promise<(StateEntry & { partition: number })[]> {
    this.reads.push([...partitions]);
    if (this.failReads-- > 0) return Promise.reject(new Error('broker not available'));
    return Promise.resolve(
      partitions.flatMap((partition) =>
        [...(this.partitions.get(partition) ?? new Map<string, string | null>())].map(([key, value]) => ({
          key,
          value,
          partition,
        })),
      ),
    );
  }

  write(partition: number, entries: readonly StateEntry[]): Promise<void> {
    if (this.failWrites-- > 0) return Promise.reject(new Error('NOT_ENOUGH_REPLICAS'));
    const p = this.partitions.get(partition) ?? new Map<string, string | null>();
    for (const e of entries) p.set(e.key, e.value);
    this.partitions.set(partition, p);
    return Promise.resolve();
  }
}

const SSHD = listenerKey('sshd', 22);
const CONTROL = { keepAlive: () => Promise.resolve(), shouldContinue: () => true };
const seen = { firstSeen: '2026-11-26T07:00:00.000Z', lastSeen: '2026-11-26T07:00:00.000Z' };

/** One service process: its memories and the sync that keeps them with its partitions. */
function processWith(log: StateLog) {
  const changes = new ChangedHosts();
  const hosts = new InMemoryHostState({ onChange: changes.mark });
  const windows = new InMemoryCorrelationState({ onChange: changes.mark });
  const sync = new HostStateSync(
    { enrich: hosts, correlations: windows },
    changes,
    log,
    createLogger('fatal'),
    { retryMs: 1 },
  );
  return { hosts, windows, sync };
}

describe('HostStateSync', () => {
  it('writes what a chunk changed to its partition, and a new owner reads it back before processing', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0, 1]);
    await a.sync.ready(0);
    a.hosts.putListener('web01', SSHD, seen);
    const first = a.sync.claim(1);
    a.hosts.putAccount('db02', 'toor', { uid: '0', groups: [] });
    a.sync.claim(0);
    await a.sync.write(first, CONTROL);
    expect([...log.partitions.get(1)!.keys()].sort()).toEqual(['correlations/web01', 'enrich/web01']);
    expect(log.partitions.get(1)!.get('correlations/web01')).toBeNull();
    expect(log.partitions.get(0)).toBeUndefined(); // partition 0's chunk is not acknowledged yet

    const b = processWith(log);
    b.sync.assign([1]);
    await b.sync.ready(1);
    expect(log.reads).toEqual([[0, 1], [1]]);
    expect(b.hosts.listener('web01', SSHD)).toEqual(seen);
    expect(b.hosts.listenerBaseline('web01')).toBe(seen.firstSeen);
    expect(b.hosts.account('db02', 'toor')).toBeUndefined();
  });

  it('forgets the hosts of a lost partition and reads a regained one again', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0, 1]);
    a.hosts.putListener('web01', SSHD, seen);
    await a.sync.write(a.sync.claim(1), CONTROL);
    a.hosts.putAccount('db02', 'toor', { uid: '0', groups: [] });
    a.sync.claim(0);
    expect(a.sync.assign([0])).toEqual([]);
    expect(a.hosts.listener('web01', SSHD)).toBeUndefined();
    expect(a.hosts.account('db02', 'toor')).toBeDefined(); // partition 0 stayed: its memory is current
    expect(a.sync.assign([0, 1])).toEqual([1]);
    await a.sync.ready(1);
    expect(a.hosts.listener('web01', SSHD)).toEqual(seen);
  });

  it('after a consumer restart every partition is read again', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0]);
    a.hosts.putListener('web01', SSHD, seen);
    a.sync.claim(0); // never flushed: the chunk was not acknowledged
    a.sync.reset();
    expect(a.hosts.listener('web01', SSHD)).toBeUndefined();
    expect(a.sync.assign([0])).toEqual([0]);
    await a.sync.ready(0);
    expect(a.hosts.hosts()).toEqual([]);
  });

  it('snapshots are taken at the claim: a chunk run meanwhile is not in them, and stays owed', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0]);
    a.hosts.putListener('web01', SSHD, seen);
    const first = a.sync.claim(0);
    a.hosts.putAccount('web01', 'toor', { uid: '0', groups: [] });
    const second = a.sync.claim(0);
    await a.sync.write(first, CONTROL);
    expect(JSON.parse(log.partitions.get(0)!.get('enrich/web01')!).accounts).toEqual([]);
    await a.sync.write(second, CONTROL);
    expect(JSON.parse(log.partitions.get(0)!.get('enrich/web01')!).accounts).toHaveLength(1);
    expect(a.sync.claim(0).entries).toEqual([]);
  });

  it('a failed write stays owed, merged with later changes', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0]);
    a.hosts.putListener('web01', SSHD, seen);
    const failed = a.sync.claim(0);
    log.failWrites = 1;
    await expect(a.sync.write(failed, CONTROL)).rejects.toThrow(/NOT_ENOUGH_REPLICAS/);
    a.hosts.putAccount('db02', 'toor', { uid: '0', groups: [] });
    // the next chunk's write carries the hosts the failed one owed
    await a.sync.write(a.sync.claim(0), CONTROL);
    expect([...log.partitions.get(0)!.keys()].sort()).toEqual([
      'correlations/db02',
      'correlations/web01',
      'enrich/db02',
      'enrich/web01',
    ]);
    expect(a.sync.claim(0).entries).toEqual([]); // nothing owed: nothing to write
  });

  it('a restore that fails is retried; records wait for it', async () => {
    const log = new MemoryLog();
    await log.write(0, [{ key: 'enrich/web01', value: processWithSnapshot() }]);
    log.failReads = 2;
    const a = processWith(log);
    a.sync.assign([0]);
    await a.sync.ready(0);
    expect(log.reads.length).toBe(3);
    expect(a.hosts.listener('web01', SSHD)).toEqual(seen);
  });

  it('a bad or unknown entry costs only that host', async () => {
    const log = new MemoryLog();
    await log.write(0, [
      { key: 'enrich/web01', value: '{"v":1,"host":"web01","accounts":"no"}' },
      { key: 'windows/web01', value: '{}' },
      { key: 'no-slash', value: '{}' },
      { key: '__proto__/x', value: '{}' },
      { key: 'enrich/db02', value: processWithSnapshot('db02') },
    ]);
    const a = processWith(log);
    a.sync.assign([0]);
    await a.sync.ready(0);
    expect(a.hosts.hosts()).toEqual(['db02']);
  });

  it('changes outside a chunk go with the host’s known partition, unknown hosts are not guessed', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0, 1]);
    a.hosts.putListener('web01', SSHD, seen);
    await a.sync.write(a.sync.claim(1), CONTROL);
    a.hosts.putAccount('web01', 'toor', { uid: '0', groups: [] });
    a.hosts.putAccount('stranger', 'toor', { uid: '0', groups: [] });
    a.sync.claimKnown();
    await a.sync.write(a.sync.claim(1), CONTROL);
    expect(a.sync.claim(0).entries).toEqual([]);
    expect(JSON.parse(log.partitions.get(1)!.get('enrich/web01')!).accounts).toHaveLength(1);
    expect(log.partitions.get(0)).toBeUndefined();
  });
});

describe('HostStateSync snapshot size', () => {
  it('a host too large to persist is written as nothing (its successor starts it afresh), never refused', async () => {
    const log = new MemoryLog();
    const a = processWith(log);
    a.sync.assign([0]);
    for (let i = 0; i < 2048; i++) a.hosts.putFile('web01', `/srv/${'d'.repeat(480)}/${i}`, { mode: '0644' });
    await a.sync.write(a.sync.claim(0), CONTROL);
    expect(log.partitions.get(0)!.get('enrich/web01')).toBeNull();
  });
});

function processWithSnapshot(host = 'web01'): string {
  const state = new InMemoryHostState();
  state.putListener(host, SSHD, seen);
  return state.snapshot(host)!;
}
