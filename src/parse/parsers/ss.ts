import type { Parser } from '../../domain/parser';
import { snapshotTableParser } from './snapshot-table';
import { addSocket, splitHostPort, type Endpoint, type SocketProcess, type Transport } from './sockets';
import { SS_FIELDS } from '../fields/snapshot-fields';

const STATES = new Set([
  'ESTAB',
  'LISTEN',
  'UNCONN',
  'TIME-WAIT',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'LAST-ACK',
  'CLOSING',
  'CLOSED',
  'UNKNOWN',
]);
const NETIDS = new Set([
  'tcp',
  'udp',
  'raw',
  'mptcp',
  'sctp',
  'u_str',
  'u_dgr',
  'u_seq',
  'nl',
  'p_raw',
  'p_dgr',
]);
/** without a Netid column, only these states say the transport (UDP sockets are UNCONN or ESTAB) */
const TCP_ONLY_STATES = new Set([
  'LISTEN',
  'TIME-WAIT',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'LAST-ACK',
  'CLOSING',
]);

const HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/;
/** `[^\s:]*:` pins each address to its first colon: `\S+:\S+` would backtrack quadratically. */
const SOCKET_LINE =
  /^(?:(?:tcp|udp|raw|mptcp|sctp)\s+)?(?:ESTAB|LISTEN|UNCONN|TIME-WAIT|SYN-SENT|SYN-RECV|FIN-WAIT-[12]|CLOSE-WAIT|LAST-ACK|CLOSING|CLOSED)\s+\d+\s+\d+\s+[^\s:]*:\S*\s+[^\s:]*:\S*/;
const USER = /\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)/g;

/**
 * `ss -tunap` (Netid column) and `ss -tlnp` (none), with or without the header. A record is one line or
 * a whole snapshot; each socket line is one event observed at ctx.now. A header alone yields no event.
 * LISTEN, and UNCONN with no peer, are listeners (server.*); everything else is a connection
 * (source = local end, destination = peer). TIME-WAIT lines carry no process and get no process fields.
 */
export const ssParser: Parser = snapshotTableParser({
  kind: 'ss',
  fields: [SS_FIELDS],
  dataset: 'socket',
  header: HEADER,
  row: SOCKET_LINE,
  toEvent(line, base) {
    const facts = socketLine(line);
    return typeof facts === 'string' ? facts : addSocket(base, facts);
  },
});

function socketLine(line: string) {
  const tokens = line.trim().split(/\s+/);
  let netid: string | undefined;
  if (NETIDS.has(tokens[0] ?? '')) netid = tokens.shift();
  const [state, recvQ, sendQ, local, peer, ...rest] = tokens;
  if (state === undefined || !STATES.has(state))
    return `not an ss socket line (state ${JSON.stringify(state ?? '')})`;
  if (!/^\d+$/.test(recvQ ?? '') || !/^\d+$/.test(sendQ ?? '')) return 'Recv-Q/Send-Q are not numbers';
  if (netid !== undefined && netid !== 'tcp' && netid !== 'udp') return `unsupported socket type ${netid}`;
  const localEnd = local !== undefined ? splitHostPort(local) : undefined;
  const peerEnd =
    peer !== undefined ? splitHostPort(peer, localEnd ? familyHint(localEnd) : undefined) : undefined;
  if (!localEnd || !peerEnd) return `unreadable address ${JSON.stringify(localEnd ? peer : local)}`;
  const transport: Transport | undefined =
    netid === 'tcp' || netid === 'udp'
      ? netid
      : TCP_ONLY_STATES.has(state)
        ? 'tcp'
        : state === 'UNCONN'
          ? 'udp'
          : undefined;
  const listening = state === 'LISTEN' || (state === 'UNCONN' && peerEnd.port === undefined);
  return {
    transport,
    state,
    local: localEnd,
    peer: peerEnd,
    processes: processes(rest.join(' ')),
    listening,
  };
}

const familyHint = (e: Endpoint) => (e.ip.includes(':') ? ('ipv6' as const) : ('ipv4' as const));

/** `users:(("smbd",pid=412,fd=3),("smbd",pid=411,fd=3))` */
function processes(column: string): SocketProcess[] {
  const out: SocketProcess[] = [];
  for (const m of column.matchAll(USER)) {
    out.push({ name: m[1]!.replace(/\\(.)/g, '$1'), pid: Number(m[2]), fd: Number(m[3]) });
  }
  return out;
}
