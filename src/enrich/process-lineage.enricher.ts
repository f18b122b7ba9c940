import type { Enricher } from '../domain/enricher';
import type { EnrichedFields } from '../domain/field-catalogue';
import type { SiemEvent } from '../domain/event';
import { holds, hostOf, integer, text, time, withFields } from './event-fields';
import type { HostState, ProcessRecord } from './state/host-state';

/**
 * The most of a command line (and, together, of its arguments) kept per process: audit and Sysmon pass
 * argument vectors of up to 128 KiB, and a host holds a thousand processes. Rules match parents on their
 * program and the start of their command line, which this keeps.
 */
export const PROCESS_TEXT_LIMIT = 4096;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T/;

const LINEAGE_FIELDS: EnrichedFields = {
  name: 'process lineage',
  datasets: ['*'],
  requires: ['process.parent.pid'],
  adds: [
    'process.parent.executable',
    'process.parent.command_line',
    'process.parent.name',
    'process.parent.args',
  ],
};

/**
 * Process lineage: per host, remembers each process start (pid → executable, command line, name, args,
 * start time) and names the parent of later events from it. Most exec sources (audit EXECVE, Auditbeat,
 * osquery process_events) give only the parent's pid; Sigma's ParentImage/ParentCommandLine need what
 * that pid ran. Source-independent: it reads the ECS shape every process parser writes
 * (`event.category: process`, `event.type: start | end | info`, `process.pid`, `process.parent.pid`).
 *
 * - a start (`event.type: start`, an exec) replaces whatever the pid ran before;
 * - an end (`event.type: end`) forgets the pid, unless the end is older than the start it would forget
 *   (records of a host arriving out of order, and the pid reused);
 * - a snapshot row (`event.type: info`, e.g. ps) teaches a pid not known yet, or one whose command line
 *   changed, without a start time: it shows long-running parents (sshd, cron) started before the trail;
 * - any event with `process.parent.pid` and no `process.parent.executable` gets `process.parent.executable`,
 *   `.command_line`, `.name` and `.args` from the remembered parent (each only where the event has none),
 *   unless the event is older than that parent's start: then the pid was another process's.
 *
 * An event that names its parent itself (Sysmon's ParentImage) is left as it is.
 */
export class ProcessLineageEnricher implements Enricher {
  readonly fields = LINEAGE_FIELDS;

  constructor(private readonly state: HostState) {}

  enrich(event: SiemEvent): SiemEvent {
    const host = hostOf(event);
    const out = this.withParent(host, event);
    if (holds(event, 'event.category', 'process')) this.observe(host, event);
    return out;
  }

  private withParent(host: string, event: SiemEvent): SiemEvent {
    const ppid = integer(event, 'process.parent.pid');
    if (ppid === undefined || text(event, 'process.parent.executable') !== undefined) return event;
    if (ppid === integer(event, 'process.pid')) return event;
    const parent = this.state.process(host, String(ppid));
    if (parent === undefined || startedAfter(parent, event)) return event;
    return withFields(event, {
      ...(parent.executable !== undefined && { 'process.parent.executable': parent.executable }),
      ...(parent.commandLine !== undefined &&
        event['process.parent.command_line'] === undefined && {
          'process.parent.command_line': parent.commandLine,
        }),
      ...(parent.name !== undefined &&
        event['process.parent.name'] === undefined && { 'process.parent.name': parent.name }),
      ...(parent.args !== undefined &&
        event['process.parent.args'] === undefined && { 'process.parent.args': parent.args }),
    });
  }

  private observe(host: string, event: SiemEvent): void {
    const pid = integer(event, 'process.pid');
    if (pid === undefined) return;
    const key = String(pid);
    if (holds(event, 'event.type', 'end')) {
      const known = this.state.process(host, key);
      if (known !== undefined && !startedAfter(known, event)) this.state.deleteProcess(host, key);
      return;
    }
    if (holds(event, 'event.type', 'start')) {
      this.state.putProcess(host, key, recordOf(event, startOf(event)));
      return;
    }
    if (holds(event, 'event.type', 'info')) {
      const known = this.state.process(host, key);
      const seen = recordOf(event, undefined);
      if (known === undefined || known.commandLine !== seen.commandLine)
        this.state.putProcess(host, key, seen);
    }
  }
}

/** Whether the remembered process started after the event happened: the event is about an earlier one. */
function startedAfter(process: ProcessRecord, event: SiemEvent): boolean {
  if (process.start === undefined) return false;
  const at = time(event, '@timestamp');
  return at !== undefined && at < Date.parse(process.start);
}

/** The exec time: the event's, or the source's own process.start when it is an earlier ISO time. */
function startOf(event: SiemEvent): string {
  const at = event['@timestamp'];
  const own = text(event, 'process.start');
  if (own === undefined || !ISO_TIME.test(own)) return at;
  const t = Date.parse(own);
  return !Number.isNaN(t) && t < Date.parse(at) ? new Date(t).toISOString() : at;
}

function recordOf(event: SiemEvent, start: string | undefined): ProcessRecord {
  const executable = text(event, 'process.executable');
  const commandLine = text(event, 'process.command_line');
  const name = text(event, 'process.name');
  const args = argsOf(event);
  return {
    ...(executable !== undefined && { executable }),
    ...(commandLine !== undefined && { commandLine: commandLine.slice(0, PROCESS_TEXT_LIMIT) }),
    ...(name !== undefined && { name }),
    ...(args !== undefined && { args }),
    ...(start !== undefined && { start }),
  };
}

/** The arguments, as many whole ones as fit in PROCESS_TEXT_LIMIT characters. */
function argsOf(event: SiemEvent): string[] | undefined {
  const v = event['process.args'];
  if (!Array.isArray(v)) return undefined;
  const args: string[] = [];
  let length = 0;
  for (const a of v) {
    const s = String(a);
    length += s.length + 1;
    if (length > PROCESS_TEXT_LIMIT) break;
    args.push(s);
  }
  return args;
}
