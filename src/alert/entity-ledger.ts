import { LruMap } from '../enrich/state/lru-map';

/**
 * What the folder remembers of an entity finding's latest generation (finding-key.ts): enough to give a
 * recurrence the right id, and to continue the alert's count and sources after the finding itself was
 * forgotten (swept, evicted, or lost in a restart of the service).
 */
export interface EntityRecord {
  /** counts up each time the entities recur after renew-after of quiet */
  readonly generation: number;
  readonly id: string;
  readonly index: string;
  /** earliest and latest occurrence (ISO 8601) */
  readonly start: string;
  readonly end: string;
  readonly count: number;
  readonly sources: readonly string[];
  readonly datasets: readonly string[];
}

export interface EntityLedgerLimits {
  readonly hosts: number;
  /** entity findings remembered per host, least recently seen forgotten first */
  readonly perHost: number;
}

/**
 * Entity findings are the core checks' accounts and files: a host has a handful. A record is about 250
 * bytes as JSON, so a full host is 250 KB: within a state message (MAX_SNAPSHOT_BYTES), trimmed otherwise.
 */
export const DEFAULT_ENTITY_LEDGER_LIMITS: EntityLedgerLimits = { hosts: 10_000, perHost: 1_024 };

interface LedgerSnapshot {
  readonly v: 1;
  readonly host: string;
  readonly entities: readonly (readonly [string, EntityRecord])[];
}

/**
 * The latest generation of each entity finding, per host. The service keeps it on the state topic beside
 * the enrichment state (it has snapshot/restore/drop, serve's HostMemory), so after a restart or a
 * rebalance the same account seen again updates the alert it already has instead of colliding with it.
 */
export class EntityLedger {
  private readonly hosts: LruMap<string, LruMap<string, EntityRecord>>;
  private readonly onChange: (host: string) => void;
  private readonly limits: EntityLedgerLimits;

  constructor(
    options: { readonly limits?: EntityLedgerLimits; readonly onChange?: (host: string) => void } = {},
  ) {
    this.limits = options.limits ?? DEFAULT_ENTITY_LEDGER_LIMITS;
    this.hosts = new LruMap(this.limits.hosts);
    this.onChange = options.onChange ?? (() => undefined);
  }

  get(host: string, key: string): EntityRecord | undefined {
    return this.hosts.peek(host)?.get(key);
  }

  set(host: string, key: string, record: EntityRecord): void {
    let entities = this.hosts.get(host);
    if (entities === undefined) this.hosts.set(host, (entities = new LruMap(this.limits.perHost)));
    entities.set(key, record);
    this.onChange(host);
  }

  /** The host as JSON; the least recently seen findings are left out until it fits `maxBytes`. */
  snapshot(host: string, maxBytes = Infinity): string | undefined {
    const entities = this.hosts.peek(host);
    if (entities === undefined) return undefined;
    let list = [...entities.entries()];
    let json = JSON.stringify({ v: 1, host, entities: list } satisfies LedgerSnapshot);
    while (json.length > maxBytes && list.length > 0) {
      // drop the oldest share that cannot fit, at the records' average size
      const each = json.length / list.length;
      list = list.slice(Math.min(list.length, Math.ceil((json.length - maxBytes) / each) + 1));
      json = JSON.stringify({ v: 1, host, entities: list } satisfies LedgerSnapshot);
    }
    return json;
  }

  restore(host: string, json: string): void {
    const doc = JSON.parse(json) as Partial<LedgerSnapshot>;
    if (doc.v !== 1 || doc.host !== host || !Array.isArray(doc.entities))
      throw new Error(`not an entity ledger of host "${host}"`);
    const entities = new LruMap<string, EntityRecord>(this.limits.perHost);
    for (const item of doc.entities) {
      const [key, record] = item as unknown[];
      if (typeof key !== 'string' || !isRecord(record))
        throw new Error('ledger entries must be [key, record]');
      entities.set(key, record);
    }
    this.hosts.set(host, entities);
  }

  drop(host: string): void {
    this.hosts.delete(host);
  }
}

function isRecord(r: unknown): r is EntityRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return (
    Number.isSafeInteger(o.generation) &&
    Number.isSafeInteger(o.count) &&
    ['id', 'index', 'start', 'end'].every((k) => typeof o[k] === 'string') &&
    strings(o.sources) &&
    strings(o.datasets)
  );
}
