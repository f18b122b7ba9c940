import type { Enricher } from '../domain/enricher';
import type { EnrichedFields } from '../domain/field-catalogue';
import type { SiemEvent } from '../domain/event';
import { hostOf, integer, text, withFields } from './event-fields';
import { LSOF_COMMAND_WIDTH, type ListenerReference } from './listener-reference';
import type { HostState } from './state/host-state';

/** Linux's default ephemeral range (net.ipv4.ip_local_port_range): UDP sockets bound there are clients. */
const EPHEMERAL = [32768, 60999] as const;

/**
 * (process name, port) of a listener. Names are cut to lsof's 9 characters so ss ("nc.openbsd") and lsof
 * ("nc.openbs") snapshots of one host agree on what they have seen.
 */
export const listenerKey = (program: string, port: number): string =>
  `${program.slice(0, LSOF_COMMAND_WIDTH)}|${port}`;

const LISTENER_FACTS: EnrichedFields = {
  name: 'listener reference and baseline',
  datasets: ['socket'],
  requires: ['server.port'],
  adds: [
    'tuxwatch.listener.backdoor_port',
    'tuxwatch.listener.shell',
    'tuxwatch.listener.expected',
    'tuxwatch.listener.first_seen',
  ],
};

/**
 * Judges listening sockets (ss, lsof, osquery listening_ports):
 * - `tuxwatch.listener.expected`: the program is in the expected-listeners table and the port is (true) or
 *   is not (false) one of its ports; absent for programs the table does not know;
 * - `tuxwatch.listener.backdoor_port`: the port is on the known-backdoor list;
 * - `tuxwatch.listener.shell`: the program is a shell, netcat or socat;
 * - `tuxwatch.listener.first_seen`: with host state, once the host has a baseline (a listener seen at an
 *   earlier time, i.e. in an earlier snapshot), whether this (process, port) is new. Absent before the
 *   baseline exists, and for UDP sockets in the ephemeral range (client sockets come and go).
 */
export class ListenerEnricher implements Enricher {
  readonly fields = LISTENER_FACTS;

  constructor(
    private readonly reference: ListenerReference,
    private readonly state?: HostState,
  ) {}

  enrich(event: SiemEvent): SiemEvent {
    if (event['event.action'] !== 'socket-listening') return event;
    const port = integer(event, 'server.port');
    if (port === undefined) return event;
    const facts: Record<string, boolean> = {
      'tuxwatch.listener.backdoor_port': this.reference.isBackdoorPort(port),
    };
    const program = text(event, 'process.name');
    if (program !== undefined) {
      facts['tuxwatch.listener.shell'] = this.reference.isShell(program);
      const expected = this.reference.expected(program, port);
      if (expected !== undefined) facts['tuxwatch.listener.expected'] = expected;
      const firstSeen = this.observe(event, program, port);
      if (firstSeen !== undefined) facts['tuxwatch.listener.first_seen'] = firstSeen;
    }
    return withFields(event, facts);
  }

  /** Records the listener; returns whether it is new on a host with a baseline (undefined: no verdict). */
  private observe(event: SiemEvent, program: string, port: number): boolean | undefined {
    if (this.state === undefined) return undefined;
    if (event['network.transport'] === 'udp' && port >= EPHEMERAL[0] && port <= EPHEMERAL[1])
      return undefined;
    const at = event['@timestamp'];
    const t = Date.parse(at);
    if (Number.isNaN(t)) return undefined;
    const host = hostOf(event);
    const key = listenerKey(program, port);
    const baseline = this.state.listenerBaseline(host);
    const known = this.state.listener(host, key);
    this.state.putListener(
      host,
      key,
      known === undefined
        ? { firstSeen: at, lastSeen: at }
        : {
            firstSeen: t < Date.parse(known.firstSeen) ? at : known.firstSeen,
            lastSeen: t > Date.parse(known.lastSeen) ? at : known.lastSeen,
          },
    );
    if (baseline === undefined || Date.parse(baseline) >= t) return undefined;
    return known === undefined || Date.parse(known.firstSeen) >= t;
  }
}
