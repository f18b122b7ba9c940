import {
  canonicalAccount,
  canonicalFile,
  canonicalListener,
  canonicalProcess,
  parseHostSnapshot,
  SnapshotError,
  type HostSnapshot,
} from './host-snapshot';
import {
  DEFAULT_HOST_STATE_LIMITS,
  type AccountRecord,
  type FileRecord,
  type HostState,
  type HostStateLimits,
  type ListenerRecord,
  type ProcessRecord,
} from './host-state';
import { LruMap } from './lru-map';

/** One host's memory: four LRU maps and the start of its listener baseline. */
class HostMemory {
  readonly accounts: LruMap<string, AccountRecord>;
  readonly files: LruMap<string, FileRecord>;
  readonly listeners: LruMap<string, ListenerRecord>;
  readonly processes: LruMap<string, ProcessRecord>;
  listenerBaseline: string | undefined;

  constructor(limits: HostStateLimits) {
    this.accounts = new LruMap(limits.accountsPerHost);
    this.files = new LruMap(limits.filesPerHost);
    this.listeners = new LruMap(limits.listenersPerHost);
    this.processes = new LruMap(limits.processesPerHost);
  }
}

export interface InMemoryHostStateOptions {
  readonly limits?: Partial<HostStateLimits>;
  /**
   * Called after every change to a host's state. A persistent implementation uses it to mark the host
   * dirty and publish `snapshot(host)` behind the stream (e.g. on offset commit).
   */
  readonly onChange?: (host: string) => void;
}

/** `HostState` in process memory: the default for `scan`, and for `serve` until state is persisted. */
export class InMemoryHostState implements HostState {
  private readonly limits: HostStateLimits;
  private readonly memory: LruMap<string, HostMemory>;
  private readonly onChange: (host: string) => void;

  constructor(options: InMemoryHostStateOptions = {}) {
    this.limits = { ...DEFAULT_HOST_STATE_LIMITS, ...options.limits };
    this.memory = new LruMap(this.limits.hosts);
    this.onChange = options.onChange ?? (() => undefined);
  }

  account(host: string, name: string): AccountRecord | undefined {
    return this.memory.get(host)?.accounts.get(name);
  }

  putAccount(host: string, name: string, record: AccountRecord): void {
    this.write(host).accounts.set(name, record);
    this.onChange(host);
  }

  deleteAccount(host: string, name: string): void {
    if (this.memory.get(host)?.accounts.delete(name)) this.onChange(host);
  }

  file(host: string, path: string): FileRecord | undefined {
    return this.memory.get(host)?.files.get(path);
  }

  putFile(host: string, path: string, record: FileRecord): void {
    this.write(host).files.set(path, record);
    this.onChange(host);
  }

  deleteFile(host: string, path: string): void {
    if (this.memory.get(host)?.files.delete(path)) this.onChange(host);
  }

  listener(host: string, key: string): ListenerRecord | undefined {
    return this.memory.get(host)?.listeners.get(key);
  }

  putListener(host: string, key: string, record: ListenerRecord): void {
    const m = this.write(host);
    m.listeners.set(key, record);
    if (m.listenerBaseline === undefined || earlier(record.firstSeen, m.listenerBaseline))
      m.listenerBaseline = record.firstSeen;
    this.onChange(host);
  }

  listenerBaseline(host: string): string | undefined {
    return this.memory.peek(host)?.listenerBaseline;
  }

  process(host: string, pid: string): ProcessRecord | undefined {
    return this.memory.get(host)?.processes.get(pid);
  }

  putProcess(host: string, pid: string, record: ProcessRecord): void {
    this.write(host).processes.set(pid, record);
    this.onChange(host);
  }

  deleteProcess(host: string, pid: string): void {
    if (this.memory.get(host)?.processes.delete(pid)) this.onChange(host);
  }

  hosts(): string[] {
    return [...this.memory.keys()];
  }

  /**
   * Over `maxBytes`, the least recently used processes are left out until it fits: a forgotten process
   * only costs a later child its parent's name, while accounts, files and listeners are baselines.
   */
  snapshot(host: string, maxBytes = Infinity): string | undefined {
    const m = this.memory.peek(host);
    if (m === undefined) return undefined;
    const doc: HostSnapshot = {
      v: 1,
      host,
      accounts: [...m.accounts.entries()].map(([k, r]) => [k, canonicalAccount(r)] as const),
      files: [...m.files.entries()].map(([k, r]) => [k, canonicalFile(r)] as const),
      listeners: [...m.listeners.entries()].map(([k, r]) => [k, canonicalListener(r)] as const),
      ...(m.listenerBaseline !== undefined && { listenerBaseline: m.listenerBaseline }),
    };
    let processes = [...m.processes.entries()].map(([k, r]) => [k, canonicalProcess(r)] as const);
    for (;;) {
      const json = JSON.stringify(processes.length > 0 ? { ...doc, processes } : doc);
      if (processes.length === 0 || Buffer.byteLength(json) <= maxBytes) return json;
      processes = processes.slice(Math.ceil(processes.length / 10));
    }
  }

  restore(host: string, json: string): void {
    const doc = parseHostSnapshot(json);
    if (doc.host !== host) throw new SnapshotError(`snapshot is for host "${doc.host}", not "${host}"`);
    const m = new HostMemory(this.limits);
    // oldest first, so the limits keep the most recently used entries, as they would have live
    for (const [k, v] of doc.accounts) m.accounts.set(k, v);
    for (const [k, v] of doc.files) m.files.set(k, v);
    for (const [k, v] of doc.listeners) m.listeners.set(k, v);
    for (const [k, v] of doc.processes ?? []) m.processes.set(k, v);
    m.listenerBaseline = doc.listenerBaseline;
    this.memory.set(host, m);
  }

  drop(host: string): void {
    this.memory.delete(host);
  }

  private write(host: string): HostMemory {
    let m = this.memory.get(host);
    if (m === undefined) {
      m = new HostMemory(this.limits);
      this.memory.set(host, m);
    }
    return m;
  }
}

const earlier = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);
