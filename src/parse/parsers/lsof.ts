import type { SiemEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { baseEvent, observedAt } from './event-base';
import { guarded, recordLines } from './record-limits';
import { addSocket, normalizeState, splitHostPort, type Family } from './sockets';

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
export const lsofParser: Parser = {
  kind: 'lsof',
  sniff(text) {
    const first = text.trimStart().split('\n', 1)[0] ?? '';
    return HEADER.test(first) || ROW.test(first);
  },
  parse: guarded(parseLsof),
};

function parseLsof(text: string, ctx: ParseContext) {
  const lines = recordLines(text);
  if (!lines.ok) return rejected(lines.reason);
  const timestamp = observedAt(ctx);
  const events: SiemEvent[] = [];
  for (const [i, line] of lines.lines.entries()) {
    if (HEADER.test(line)) continue;
    const m = ROW.exec(line);
    if (!m) return rejected(`line ${i + 1}: not an lsof -i line`);
    const [, command, pid, user, , type, , , node, name, state] = m as unknown as string[];
    const family: Family = type === 'IPv6' ? 'ipv6' : 'ipv4';
    const [localText, peerText] = name!.split('->');
    const local = splitHostPort(localText!, family);
    const peer = peerText !== undefined ? splitHostPort(peerText, family) : undefined;
    if (!local || (peerText !== undefined && !peer))
      return rejected(`line ${i + 1}: unreadable address ${name}`);
    const transport = node === 'UDP' ? 'udp' : 'tcp';
    const listening = state === 'LISTEN' || (transport === 'udp' && peer === undefined);
    const base = baseEvent({ timestamp, original: line, kind: 'lsof', dataset: 'socket' }, ctx);
    const event = addSocket(base, {
      transport,
      state: state !== undefined ? normalizeState(state) : undefined,
      local,
      peer,
      processes: [{ name: command!, pid: Number(pid) }],
      user,
      listening,
    });
    events.push(event);
  }
  return parsed(events);
}
