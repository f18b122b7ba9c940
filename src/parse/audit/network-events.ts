import type { MutableEvent } from '../../domain/event';
import { value, type AuditEventView } from './audit-view';
import { decodeSockaddr } from './sockaddr';

/** i386's socketcall(2) multiplexer: its first argument names the call */
const SOCKETCALL: Readonly<Record<number, string>> = { 2: 'bind', 3: 'connect', 5: 'accept', 18: 'accept4' };
const EINPROGRESS = '-115';

/**
 * Sockets from bind, connect and accept with an internet address (SOCKADDR), in the shape the socket
 * snapshots (ss, lsof) give, so the same rules and the listener enricher judge them:
 * - bind to a port (not 0, which asks for an ephemeral client port): a listening socket
 *   (`socket-listening`, `server.ip`/`server.port`). The audit trail does not say TCP or UDP
 *   (`network.transport` is absent); a datagram server's bind is a listener too, as ss shows it.
 * - connect that succeeded, or is under way on a non-blocking socket (EINPROGRESS): a connection
 *   (`socket-connected`, outbound, `destination.*`); a refused one is `socket-connect-failed`.
 * - accept: the peer of an inbound connection (`socket-connected`, inbound, `source.*`).
 * Unix, netlink and unspecified addresses give no socket event (their records still reach auditd rules).
 */
export function networkEvent(view: AuditEventView, base: MutableEvent): MutableEvent | undefined {
  let call = view.syscallName;
  if (call === 'socketcall') call = SOCKETCALL[view.argument(0) ?? -1];
  if (call !== 'bind' && call !== 'connect' && call !== 'accept' && call !== 'accept4') return undefined;
  const raw = value(view.first('SOCKADDR'), 'saddr');
  const address = raw !== undefined ? decodeSockaddr(raw) : undefined;
  if (address === undefined || (address.family !== 'inet' && address.family !== 'inet6')) return undefined;
  const exit = value(view.syscall, 'exit');
  const ok = view.succeeded === true || (call === 'connect' && exit === EINPROGRESS);
  Object.assign(base, view.subject(), {
    'event.category': ['network'],
    'network.type': address.family === 'inet' ? 'ipv4' : 'ipv6',
    'event.outcome': ok ? 'success' : 'failure',
  });
  if (call === 'bind') {
    if (!ok || address.port === 0) return undefined;
    return Object.assign(base, {
      'event.type': ['start'],
      'event.action': 'socket-listening',
      'server.ip': address.ip,
      'server.port': address.port,
    });
  }
  if (call === 'connect') {
    return Object.assign(base, {
      'event.type': ['start', 'connection'],
      'event.action': ok ? 'socket-connected' : 'socket-connect-failed',
      'network.direction': 'outbound',
      'destination.ip': address.ip,
      'destination.port': address.port,
    });
  }
  if (!ok) return undefined;
  return Object.assign(base, {
    'event.type': ['start', 'connection'],
    'event.action': 'socket-connected',
    'network.direction': 'inbound',
    'source.ip': address.ip,
    'source.port': address.port,
  });
}
