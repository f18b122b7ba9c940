import { formatIpv6 } from './ip';

/**
 * The /proc files a process and socket inventory needs (proc(5)), parsed by hand: the one npm library
 * that reads them (@stroncium/procfs) drops the TCP state and the unix socket inode, which are the point.
 */

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  /** clock ticks after boot */
  readonly startTicks: number;
  readonly kernelThread: boolean;
}

/** PF_KTHREAD in the flags field of /proc/PID/stat */
const PF_KTHREAD = 0x00200000;

/** `pid (comm) state ppid ... flags ... starttime ...`; comm may hold spaces and parentheses: split at the last `)`. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (state): field N is fields[N - 3]
  const ppid = Number(fields[1]);
  const flags = Number(fields[6]);
  const start = Number(fields[19]);
  const pid = Number(text.slice(0, open).trim());
  if (![pid, ppid, flags, start].every(Number.isSafeInteger)) return undefined;
  return {
    pid,
    comm: text.slice(open + 1, close),
    ppid,
    startTicks: start,
    kernelThread: (flags & PF_KTHREAD) !== 0,
  };
}

/** The effective UID of `Uid:\treal\teffective\tsaved\tfs` in /proc/PID/status. */
export function effectiveUid(status: string): number | undefined {
  const m = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** `btime` of /proc/stat: boot time in seconds since the epoch. */
export function bootTime(stat: string): number | undefined {
  const m = /^btime\s+(\d+)$/m.exec(stat);
  return m ? Number(m[1]) : undefined;
}

export interface InetSocket {
  readonly local: { ip: string; port: number };
  readonly remote: { ip: string; port: number };
  /** ss's name of the state */
  readonly state: string;
  readonly uid: number;
  readonly inode: number;
}

const TCP_STATES: Readonly<Record<number, string>> = {
  1: 'ESTAB',
  2: 'SYN-SENT',
  3: 'SYN-RECV',
  4: 'FIN-WAIT-1',
  5: 'FIN-WAIT-2',
  6: 'TIME-WAIT',
  7: 'UNCONN',
  8: 'CLOSE-WAIT',
  9: 'LAST-ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'SYN-RECV',
};

/**
 * /proc/net/tcp, tcp6, udp, udp6: a header, then `sl local rem st tx:rx tr:when retrnsmt uid timeout
 * inode ...` with addresses as hex in the kernel's byte order. Unreadable lines are skipped and counted.
 */
export function parseInetTable(text: string): { sockets: InetSocket[]; skipped: number } {
  const sockets: InetSocket[] = [];
  let skipped = 0;
  const lines = text.split('\n').slice(1);
  for (const line of lines) {
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    const local = hexEndpoint(f[1]);
    const remote = hexEndpoint(f[2]);
    const st = parseInt(f[3] ?? '', 16);
    const uid = Number(f[7]);
    const inode = Number(f[9]);
    if (!local || !remote || !TCP_STATES[st] || !Number.isSafeInteger(uid) || !Number.isSafeInteger(inode)) {
      skipped++;
      continue;
    }
    sockets.push({ local, remote, state: TCP_STATES[st]!, uid, inode });
  }
  return { sockets, skipped };
}

function hexEndpoint(text: string | undefined): { ip: string; port: number } | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text ?? '');
  if (!m) return undefined;
  const ip = m[1]!.length === 8 ? ipv4(m[1]!) : ipv6(m[1]!);
  return { ip, port: parseInt(m[2]!, 16) };
}

/** Four bytes of a 32-bit word printed in host (little-endian) order. */
function wordBytes(hex: string): number[] {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

const ipv4 = (hex: string): string => wordBytes(hex).join('.');

/** Four such words, in the kernel's order. */
const ipv6 = (hex: string): string =>
  formatIpv6([0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8))));

export interface UnixSocket {
  readonly inode: number;
  readonly path?: string;
  readonly listening: boolean;
  readonly state: string;
}

/** __SO_ACCEPTCON in the Flags column: a socket that listen(2) was called on */
const SO_ACCEPTCON = 0x10000;

/** /proc/net/unix: `Num RefCount Protocol Flags Type St Inode [Path]`. */
export function parseUnixTable(text: string): UnixSocket[] {
  const out: UnixSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m =
      /^\s*[0-9a-fA-F]+:\s+[0-9A-Fa-f]+\s+[0-9A-Fa-f]+\s+([0-9A-Fa-f]+)\s+[0-9A-Fa-f]+\s+([0-9A-Fa-f]+)\s+(\d+)(?:\s(.*))?$/.exec(
        line,
      );
    if (!m) continue;
    const listening = (parseInt(m[1]!, 16) & SO_ACCEPTCON) !== 0;
    const path = m[4]?.trim();
    out.push({
      inode: Number(m[3]),
      listening,
      state: listening ? 'LISTEN' : parseInt(m[2]!, 16) === 3 ? 'ESTAB' : 'UNCONN',
      ...(path !== undefined && path !== '' && { path }),
    });
  }
  return out;
}
