import type { FieldValue } from '../domain/event';
import { fullerName } from './finding-merge';

type Fields = Readonly<Record<string, FieldValue | undefined>>;

/** A socket finding's pids, the first occurrence's first, when its process was seen under more than one. */
export const PIDS = 'tuxwatch.process.pids';

/** Addresses a socket listening on every address is given as: ss's and audit's, lsof's `*` as read. */
const ANY_ADDRESS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '*', '[::]']);

/**
 * Whether a socket alert under one pid is the socket finding `held` seen under another pid, of the same
 * rule, host and place (port listened on, destination connected to: the caller's finding-key.ts
 * socketPlace): one process seen from two pid namespaces. The kernel's audit records carry the pid of the
 * host's namespace, while ss, lsof and ps run inside a container (or the namespace gen-evidence.sh plants its
 * compromise in) show the container's, so each listener and connection of such a host was two alerts.
 *
 * It takes the same program to say so: the names equal, or one cut from the other by lsof or the kernel's
 * comm (both must be known: a pid is all that ties an unnamed socket to a process); the same address
 * listened on, when both name one other than every address; and the same executable and command line where
 * both know them. Two processes of one program on one port fold too: a listener restarted under a new
 * pid, or workers sharing a port (SO_REUSEPORT), are one finding to a responder, who reads the count and
 * the first occurrence's pid.
 */
export function sameProcessOtherPid(held: Fields, alert: Fields): boolean {
  if (held['process.pid'] === alert['process.pid']) return false;
  const [a, b] = [held['process.name'], alert['process.name']];
  if (typeof a !== 'string' || typeof b !== 'string' || fullerName(a, b) === undefined) return false;
  return (
    sameAddress(held['server.ip'], alert['server.ip']) &&
    agree(held['process.executable'], alert['process.executable']) &&
    agree(held['process.command_line'], alert['process.command_line'])
  );
}

/** Equal, or unknown to either. */
const agree = (a: FieldValue | undefined, b: FieldValue | undefined): boolean =>
  a === undefined || a === null || b === undefined || b === null || a === b;

/** The same address listened on: equal, unknown to either, or every address to both. */
function sameAddress(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (agree(a, b)) return true;
  return ANY_ADDRESS.has(String(a)) && ANY_ADDRESS.has(String(b));
}
