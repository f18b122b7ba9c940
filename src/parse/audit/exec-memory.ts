/** What a process ran: its argument vector, as its exec recorded it. */
export interface ExecRecord {
  readonly args: readonly string[];
  readonly executable?: string;
  /** its working directory, against which its relative arguments resolve */
  readonly cwd?: string;
  /** epoch ms of the exec */
  readonly time: number;
}

/**
 * The last exec of each process, per host, so a later record of the same pid can be read in the light of
 * its command: a user-space ADD_USER that names only `id=0` gets its account from `useradd … r00t`, and a
 * utimensat learns the time `touch -d` set. Only the programs whose records need it are kept (see
 * `needsCommand`), a few hundred per host at most; an exit forgets the pid. Parent lineage is not this
 * memory's business (the enrich stage's process-lineage state names parents).
 */
export class ExecMemory {
  private readonly hosts = new Map<string, Map<number, ExecRecord>>();

  constructor(
    private readonly maxHosts = 1_000,
    private readonly maxPerHost = 256,
  ) {}

  remember(host: string, pid: number, record: ExecRecord): void {
    let pids = this.hosts.get(host);
    if (pids) this.hosts.delete(host);
    else pids = new Map();
    this.hosts.set(host, pids);
    if (this.hosts.size > this.maxHosts) this.hosts.delete(this.hosts.keys().next().value as string);
    pids.delete(pid);
    pids.set(pid, record);
    if (pids.size > this.maxPerHost) pids.delete(pids.keys().next().value as number);
  }

  /** The pid's last exec, if it is not newer than `time` (a pid reused later is not this process). */
  recall(host: string, pid: number, time: number): ExecRecord | undefined {
    const record = this.hosts.get(host)?.get(pid);
    return record !== undefined && record.time <= time ? record : undefined;
  }

  forget(host: string, pid: number): void {
    this.hosts.get(host)?.delete(pid);
  }
}
