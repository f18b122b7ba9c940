import { UTMP_TYPES } from '../../domain/snapshot-names';
import { formatIpv6 } from './ip';

/**
 * glibc's `struct utmp` (utmp(5), bits/utmp.h) as utmp, wtmp and btmp hold it: 384 bytes, the same on
 * 64- and 32-bit Linux (times are 32-bit for compatibility). No maintained npm package reads these files,
 * so the layout is read here:
 *
 *   0 ut_type (short, 2 padding)   4 ut_pid   8 ut_line[32]   40 ut_id[4]   44 ut_user[32]
 *   76 ut_host[256]   332 ut_exit   336 ut_session   340 ut_tv.tv_sec   344 ut_tv.tv_usec
 *   348 ut_addr_v6[4] (network byte order; IPv4 in the first word)   364 reserved[20]
 */
export const UTMP_SIZE = 384;

export interface UtmpRecord {
  readonly type: (typeof UTMP_TYPES)[number];
  readonly pid: number;
  readonly line: string;
  readonly user: string;
  readonly host: string;
  readonly ip?: string;
  /** epoch milliseconds */
  readonly time: number;
}

/**
 * Every whole record of `data`, in file order. The byte order is the host's; a file from a big-endian
 * machine is recognised by its type field and read as such. Records with an unknown type or an
 * impossible time are skipped and counted.
 */
export function parseUtmp(data: Buffer): { records: UtmpRecord[]; skipped: number; partial: boolean } {
  const records: UtmpRecord[] = [];
  let skipped = 0;
  const count = Math.floor(data.length / UTMP_SIZE);
  const bigEndian = count > 0 && data.readInt16LE(0) > 9 && data.readInt16BE(0) <= 9;
  for (let i = 0; i < count; i++) {
    const r = data.subarray(i * UTMP_SIZE, (i + 1) * UTMP_SIZE);
    const typeCode = bigEndian ? r.readInt16BE(0) : r.readInt16LE(0);
    const sec = bigEndian ? r.readInt32BE(340) : r.readInt32LE(340);
    const usec = bigEndian ? r.readInt32BE(344) : r.readInt32LE(344);
    const type = UTMP_TYPES[typeCode];
    if (type === undefined || type === 'EMPTY' || sec <= 0 || usec < 0 || usec >= 1_000_000) {
      if (type !== 'EMPTY') skipped++;
      continue;
    }
    const ip = address(r.subarray(348, 364));
    records.push({
      type,
      pid: bigEndian ? r.readInt32BE(4) : r.readInt32LE(4),
      line: cString(r.subarray(8, 40)),
      user: cString(r.subarray(44, 76)),
      host: cString(r.subarray(76, 332)),
      ...(ip !== undefined && { ip }),
      time: sec * 1000 + Math.floor(usec / 1000),
    });
  }
  return { records, skipped, partial: data.length % UTMP_SIZE !== 0 };
}

/** A NUL-padded char array; bytes that are not UTF-8 are kept as replacement characters. */
export function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

function address(b: Buffer): string | undefined {
  if (b.every((x) => x === 0)) return undefined;
  if (b.subarray(4).every((x) => x === 0)) return [...b.subarray(0, 4)].join('.');
  return formatIpv6([...b]);
}

/**
 * `struct lastlog` (lastlog(8)): 292 bytes per UID at offset UID × 292 of a sparse file — ll_time
 * (32-bit), ll_line[32], ll_host[256]. A record of zeros is "never logged in".
 */
export const LASTLOG_SIZE = 292;

export interface LastlogRecord {
  readonly time: number;
  readonly line: string;
  readonly host: string;
}

export function parseLastlog(record: Buffer): LastlogRecord | undefined {
  if (record.length < LASTLOG_SIZE) return undefined;
  const sec = record.readInt32LE(0);
  if (sec <= 0) return undefined;
  return { time: sec * 1000, line: cString(record.subarray(4, 36)), host: cString(record.subarray(36, 292)) };
}
