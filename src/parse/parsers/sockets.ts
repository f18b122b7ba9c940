import type { MutableEvent } from '../../domain/event';

/**
 * What ss, lsof and osquery share: splitting `address:port` (IPv4, bracketed IPv6, `*`, `%iface`
 * suffixes) and turning one socket into the socket event of docs/events.md.
 */
export interface Endpoint {
  /** as written (`*`, `127.0.0.53%lo`, `[::]`) */
  readonly address: string;
  /** the IP; `*` becomes the wildcard of its family */
  readonly ip: string;
  /** undefined for `*` (any port) */
  readonly port?: number;
  /** `lo` in `127.0.0.53%lo:53` */
  readonly iface?: string;
  readonly wildcard: boolean;
}

export type Transport = 'tcp' | 'udp';
export type Family = 'ipv4' | 'ipv6';

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export const isIp = (s: string): boolean => IPV4.test(s) || (s.includes(':') && IPV6.test(s));
export const familyOf = (ip: string): Family => (ip.includes(':') ? 'ipv6' : 'ipv4');

/**
 * `1.2.3.4:22`, `[2001:db8::1]:443`, `[fe80::1%eth0]:22`, `[fe80::1]%eth0:22`, `127.0.0.53%lo:53`,
 * `*:22`, `0.0.0.0:*`, `[::]:*`. A bare `*` address is the wildcard of `family`; when the family is
 * unknown (ss prints `*` for a dual-stack IPv6 socket) it is `::`.
 */
export function splitHostPort(text: string, family?: Family): Endpoint | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const portText = text.slice(colon + 1);
  let host = text.slice(0, colon);
  let port: number | undefined;
  if (portText !== '*') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
    port = Number(portText);
  }
  let iface: string | undefined;
  const bracket = /^\[([^\]]+)\](?:%(\S+))?$/.exec(host);
  if (bracket) {
    host = bracket[1]!;
    iface = bracket[2];
  }
  const pct = host.indexOf('%');
  if (pct > 0) {
    iface = host.slice(pct + 1);
    host = host.slice(0, pct);
  }
  if (host === '*') {
    return {
      address: text.slice(0, colon),
      ip: family === 'ipv4' ? '0.0.0.0' : '::',
      port,
      iface,
      wildcard: true,
    };
  }
  if (!isIp(host)) return undefined;
  const wildcard = host === '0.0.0.0' || host === '::';
  return { address: text.slice(0, colon), ip: host, port, iface, wildcard };
}

export interface SocketProcess {
  readonly name?: string;
  readonly pid?: number;
  readonly fd?: number;
}

export interface SocketFacts {
  readonly transport?: Transport;
  /** `LISTEN`, `ESTAB`, `UNCONN`, ... in ss's vocabulary */
  readonly state?: string;
  readonly local: Endpoint;
  readonly peer?: Endpoint;
  /** every process holding the socket (ss lists several when a listener is shared after fork) */
  readonly processes: readonly SocketProcess[];
  readonly user?: string;
  readonly listening: boolean;
}

/** lsof and osquery spell TCP states the kernel's way; ss's spelling is the one events carry. */
const STATE_NAMES: Readonly<Record<string, string>> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  SYN_RECEIVED: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  FIN_WAIT_2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  CLOSE: 'CLOSED',
  IDLE: 'UNCONN',
};

export const normalizeState = (state: string): string =>
  STATE_NAMES[state.toUpperCase()] ?? state.toUpperCase();

/** Adds the socket fields of docs/events.md to a base event. */
export function addSocket(event: MutableEvent, s: SocketFacts): MutableEvent {
  event['event.category'] = ['network'];
  event['event.type'] = ['info'];
  event['event.action'] = s.listening ? 'socket-listening' : 'socket-connected';
  if (s.transport) event['network.transport'] = s.transport;
  event['network.type'] = familyOf(s.local.ip);
  const first = s.processes[0];
  if (first) {
    if (first.name !== undefined && first.name !== '') event['process.name'] = first.name;
    if (first.pid !== undefined) event['process.pid'] = first.pid;
  }
  if (s.processes.length > 1) {
    event['tuxwatch.socket.process_names'] = s.processes.flatMap((p) => (p.name ? [p.name] : []));
    event['tuxwatch.socket.pids'] = s.processes.flatMap((p) => (p.pid !== undefined ? [p.pid] : []));
  }
  if (s.user !== undefined) event['user.name'] = s.user;
  if (s.state !== undefined) event['network.state'] = s.state;
  if (s.listening) {
    endpoint(event, 'server', s.local);
  } else {
    endpoint(event, 'source', s.local);
    if (s.peer) endpoint(event, 'destination', s.peer);
  }
  return event;
}

function endpoint(event: MutableEvent, side: string, e: Endpoint): void {
  event[`${side}.ip`] = e.ip;
  event[`${side}.address`] = e.address;
  if (e.port !== undefined) event[`${side}.port`] = e.port;
  if (e.iface !== undefined) event[`tuxwatch.${side}.interface`] = e.iface;
}
