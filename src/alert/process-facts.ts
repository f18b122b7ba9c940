import type { FieldValue, SiemEvent } from '../domain/event';
import { addSource, fullerName, sameProgram, type MutableFields } from './finding-merge';

/** What one source said about a process: ps names its executable and command line, lsof its user. */
export interface ProcessFact {
  readonly host: string;
  readonly pid: number;
  /** epoch ms of the observation */
  readonly at: number;
  readonly fields: Readonly<Record<string, string>>;
  readonly module?: string;
}

/** The process fields a fact can give a socket finding. */
const PROCESS_FIELDS = ['process.name', 'process.executable', 'process.command_line', 'user.name'] as const;
const CATEGORIES: ReadonlySet<string> = new Set(['process', 'network']);

/** A process fact of an event from a process or socket source (ps, lsof, ss, osquery), if it names one. */
export function processFact(event: SiemEvent): ProcessFact | undefined {
  const pid = event['process.pid'];
  const host = event['host.name'];
  if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
  const category = event['event.category'];
  const categories = Array.isArray(category) ? category : [category];
  if (!categories.some((c) => typeof c === 'string' && CATEGORIES.has(c))) return undefined;
  const fields: Record<string, string> = {};
  for (const name of PROCESS_FIELDS) {
    const v = event[name];
    if (typeof v === 'string' && v !== '') fields[name] = v;
  }
  if (Object.keys(fields).length === 0) return undefined;
  const at = Date.parse(event['@timestamp']);
  const module = event['event.module'];
  return { host, pid, at, fields, module: typeof module === 'string' ? module : undefined };
}

/**
 * Applies a fact to a socket finding of the same host and pid: fills the process fields it lacks and
 * completes a cut program name. A fact further than `windowMs` from the finding, or naming another program
 * (the pid was reused), is not the same process and is ignored. Returns whether the finding changed.
 */
export function applyFact(held: MutableFields, fact: ProcessFact, windowMs: number): boolean {
  const at = Date.parse(String(held['@timestamp']));
  if (!(Math.abs(fact.at - at) <= windowMs)) return false;
  if (!sameProgram(held['process.name'], fact.fields['process.name'])) return false;
  let changed = false;
  for (const [name, value] of Object.entries(fact.fields)) {
    const mine: FieldValue | undefined = held[name];
    const next =
      mine === undefined || mine === null
        ? value
        : name === 'process.name' && typeof mine === 'string'
          ? (fullerName(mine, value) ?? mine)
          : mine;
    if (next !== mine) {
      held[name] = next;
      changed = true;
    }
  }
  if (changed) addSource(held, { 'event.module': fact.module });
  return changed;
}

/**
 * The latest fact per (host, pid), merged across sources, bounded: a host keeps its most recently seen
 * `maxPerHost` processes, and hosts beyond `maxHosts` are forgotten least recently used first.
 */
export class ProcessFacts {
  private readonly hosts = new Map<string, Map<number, ProcessFact>>();

  constructor(
    private readonly maxPerHost = 20_000,
    private readonly maxHosts = 5_000,
  ) {}

  /** Records a fact; returns it merged with what was known of the same process within `windowMs`. */
  observe(fact: ProcessFact, windowMs: number): ProcessFact {
    let host = this.hosts.get(fact.host);
    if (host) this.hosts.delete(fact.host);
    else host = new Map();
    this.hosts.set(fact.host, host);
    const known = host.get(fact.pid);
    const merged =
      known &&
      Math.abs(known.at - fact.at) <= windowMs &&
      sameProgram(known.fields['process.name'], fact.fields['process.name'])
        ? { ...fact, fields: { ...known.fields, ...fact.fields, ...fullName(known, fact) } }
        : fact;
    host.delete(fact.pid);
    host.set(fact.pid, merged);
    while (host.size > this.maxPerHost) host.delete(host.keys().next().value!);
    while (this.hosts.size > this.maxHosts) this.hosts.delete(this.hosts.keys().next().value!);
    return merged;
  }

  get(host: string, pid: number): ProcessFact | undefined {
    return this.hosts.get(host)?.get(pid);
  }

  /** Forgets a host's facts observed before `t` (epoch ms). */
  forgetBefore(host: string, t: number): void {
    const facts = this.hosts.get(host);
    if (!facts) return;
    for (const [pid, fact] of facts) if (fact.at < t) facts.delete(pid);
    if (facts.size === 0) this.hosts.delete(host);
  }
}

function fullName(a: ProcessFact, b: ProcessFact): Record<string, string> {
  const x = a.fields['process.name'];
  const y = b.fields['process.name'];
  if (x === undefined || y === undefined) return {};
  const full = fullerName(x, y);
  return full !== undefined ? { 'process.name': full } : {};
}
