import { RECORD_TYPES } from './record-type-table';

const NAMES = new Map<number, string>();
const NUMBERS = new Map<string, number>();
for (const pair of RECORD_TYPES.split(' ')) {
  const i = pair.indexOf(':');
  const n = Number(pair.slice(0, i));
  const name = pair.slice(i + 1);
  NAMES.set(n, name);
  NUMBERS.set(name, n);
}

/**
 * The name of a record type number, as auditd writes it: `1300` → `SYSCALL`. Numbers no table knows get
 * auditd's own spelling for them, `UNKNOWN[1234]`.
 */
export const recordTypeName = (n: number): string => NAMES.get(n) ?? `UNKNOWN[${n}]`;

/** The number of a record type name (`SYSCALL` → 1300, `UNKNOWN[1234]` → 1234); undefined when unknown. */
export function recordTypeNumber(name: string): number | undefined {
  const known = NUMBERS.get(name);
  if (known !== undefined) return known;
  const m = /^UNKNOWN\[(\d{1,5})\]$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

const AUDIT_USER = 1005;
const AUDIT_LOGIN = 1006;
const AUDIT_FIRST_EVENT = 1300;
const AUDIT_EOE = 1320;
const AUDIT_PROCTITLE = 1327;
const AUDIT_MAC_UNLBL_ALLOW = 1406;
const AUDIT_MAC_CALIPSO_DEL = 1419;
const AUDIT_KERNEL = 2000;
const AUDIT_FIRST_ANOM_MSG = 2100;

/**
 * Whether a record of this type is the last of its event: audit userspace's `audit_is_last_record`
 * (common/common.c), which auparse and ausearch use. PROCTITLE closes every syscall event, EOE closes
 * multi-record events (auditd does not write it to its log, but dispatches it to plugins), and the
 * user-space and daemon ranges are one-record events.
 */
export function isLastRecordType(type: number | undefined): boolean {
  if (type === undefined) return false;
  return (
    type === AUDIT_PROCTITLE ||
    type === AUDIT_EOE ||
    (type > AUDIT_LOGIN && type < AUDIT_FIRST_EVENT) ||
    type === AUDIT_USER ||
    type >= AUDIT_FIRST_ANOM_MSG ||
    type === AUDIT_KERNEL ||
    (type >= AUDIT_MAC_UNLBL_ALLOW && type <= AUDIT_MAC_CALIPSO_DEL)
  );
}
