import type { Parser } from '../../domain/parser';
import { snapshotTableParser } from './snapshot-table';
import { addSocket, normalizeState, splitHostPort, type Family } from './sockets';
import { LSOF_FIELDS } from '../fields/snapshot-fields';

const HEADER =
  /^COMMAND\s+PID\s+(?:TID\s+(?:TASKCMD\s+)?)?USER\s+FD\s+TYPE\s+DEVICE\s+SIZE\/OFF\s+NODE\s+NAME\s*$/;
/** COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME, TYPE IPv4/IPv6 (what `lsof -i` lists) */
const ROW =
  /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(IPv4|IPv6)\s+(\S+)\s+(\S+)\s+(TCP|UDP)\s+(\S+)(?:\s+\(([A-Z_0-9]+)\))?\s*$/;

/**
 * `lsof -i -nP`: one event per line, observed at ctx.now. COMMAND is what lsof printed (it truncates to
 * nine characters: `nc.openbs` stays `nc.openbs`). `a->b` is a connection (source = a), a TCP LISTEN or a
 * UDP socket without a peer is a listener. TCP states are given in ss's spelling (ESTABLISHED -> ESTAB).
 */
export const lsofParser: Parser = snapshotTableParser({
  kind: 'lsof',
  fields: [LSOF_FIELDS],
  dataset: 'socket',
  header: HEADER,
  row: ROW,
  rowHolds: 'IPv',
  toEvent(line, base) {
    const m = ROW.exec(line);
    if (!m) return 'not an lsof -i line';
    const [, command, pid, user, , type, , , node, name, state] = m as unknown as string[];
    const family: Family = type === 'IPv6' ? 'ipv6' : 'ipv4';
    const [localText, peerText] = name!.split('->');
    const local = splitHostPort(localText!, family);
    const peer = peerText !== undefined ? splitHostPort(peerText, family) : undefined;
    if (!local || (peerText !== undefined && !peer)) return `unreadable address ${name}`;
    const transport = node === 'UDP' ? 'udp' : 'tcp';
    const listening = state === 'LISTEN' || (transport === 'udp' && peer === undefined);
    return addSocket(base, {
      transport,
      state: state !== undefined ? normalizeState(state) : undefined,
      local,
      peer,
      processes: [{ name: command!, pid: Number(pid) }],
      user,
      listening,
    });
  },
});
