/**
 * What tuxwatch remembers about each host between events, so an enricher can tell "new" from "seen before":
 * the accounts and their UIDs/groups, the last known mode and mtime of files, the listeners seen per
 * (process name, port), and the running processes by pid (what a later child's parent was).
 *
 * State is keyed by host (`host.name`) and every host's state serializes to one JSON document
 * (`snapshot`/`restore`). That is the seam for a persistent implementation: a compacted Kafka topic keyed
 * by host, whose documents are restored when the partition holding the host is assigned and dropped
 * (`drop`) when it is revoked; one host's records stay on one partition (CONTRACT §4), so one consumer owns
 * a host's state at a time. Reads and writes are synchronous: a persistent implementation keeps the
 * assigned hosts in memory and writes snapshots behind (see `InMemoryHostState`'s `onChange`).
 *
 * Every implementation is bounded: a fixed number of hosts, and per host a fixed number of accounts, files,
 * listeners and processes, least recently used forgotten first (`HostStateLimits`).
 */
export interface AccountRecord {
  /** the UID last seen for the account (decimal string, as logs write it) */
  readonly uid?: string;
  /** primary GID at creation, when the log said */
  readonly gid?: string;
  /** supplementary groups the account was seen being added to (and not removed from since) */
  readonly groups: readonly string[];
}

export interface FileRecord {
  /** four-digit octal mode with the special bits, when a source gave it */
  readonly mode?: string;
  readonly setuid?: boolean;
  readonly setgid?: boolean;
  /** UTC ISO 8601 */
  readonly mtime?: string;
}

export interface ListenerRecord {
  /** event time (UTC ISO 8601) of the first and the latest observation */
  readonly firstSeen: string;
  readonly lastSeen: string;
}

/** A process as its start (exec) showed it: what a child started later names as its parent. */
export interface ProcessRecord {
  readonly executable?: string;
  readonly commandLine?: string;
  readonly name?: string;
  readonly args?: readonly string[];
  /** UTC ISO 8601 of the exec, when the source said (a snapshot row only says the process was alive) */
  readonly start?: string;
}

export interface HostState {
  account(host: string, name: string): AccountRecord | undefined;
  putAccount(host: string, name: string, record: AccountRecord): void;
  deleteAccount(host: string, name: string): void;

  file(host: string, path: string): FileRecord | undefined;
  putFile(host: string, path: string, record: FileRecord): void;
  deleteFile(host: string, path: string): void;

  /** `key` names a (process name, port) pair; see `listenerKey` */
  listener(host: string, key: string): ListenerRecord | undefined;
  putListener(host: string, key: string, record: ListenerRecord): void;
  /** time of the host's earliest listener observation: from then on the host has a listener baseline */
  listenerBaseline(host: string): string | undefined;

  /** `pid` as a decimal string */
  process(host: string, pid: string): ProcessRecord | undefined;
  putProcess(host: string, pid: string, record: ProcessRecord): void;
  deleteProcess(host: string, pid: string): void;

  /** hosts with state, least recently used first */
  hosts(): string[];
  /** the host's state as one JSON document, or undefined when there is none */
  snapshot(host: string): string | undefined;
  /** replaces the host's state with a snapshot; throws on a document that is not one */
  restore(host: string, json: string): void;
  /** forgets the host (its partition went to another consumer) */
  drop(host: string): void;
}

export interface HostStateLimits {
  readonly hosts: number;
  readonly accountsPerHost: number;
  readonly filesPerHost: number;
  readonly listenersPerHost: number;
  readonly processesPerHost: number;
}

/**
 * Defaults sized for one process watching a fleet: an entry costs roughly 150–300 bytes (key, record, Map
 * slot), so a full host is about 0.7 MB (2,048 files dominate) and the worst case ~0.7 GB for 1,000 full
 * hosts. FIM tools report changes, not whole trees, so real hosts stay far below the file limit.
 * A process entry holds a command line and its arguments (capped, see ProcessLineageEnricher): about
 * 0.5 KB for a typical one, so 1,024 of them add about 0.5 MB to a host that execs a lot. Processes whose
 * end is reported are forgotten at once; the limit only holds the ones whose end is never seen.
 */
export const DEFAULT_HOST_STATE_LIMITS: HostStateLimits = {
  hosts: 1_000,
  accountsPerHost: 1_024,
  filesPerHost: 2_048,
  listenersPerHost: 512,
  processesPerHost: 1_024,
};
