import type { MutableEvent, Scalar } from '../../domain/event';
import { basename, integer, text } from './event-base';

/** system/process actions and what they say about the process (ECS event.type). */
const SYSTEM_PROCESS_TYPES: Readonly<Record<string, string>> = {
  process_started: 'start',
  process_stopped: 'end',
  existing_process: 'info',
  process_error: 'info',
};

const EXEC_SYSCALLS = new Set(['execve', 'execveat']);

/**
 * Auditbeat's process events, as Auditbeat wrote them (ECS already):
 * - `system/process`: `process_started` is a start, `process_stopped` an end, `existing_process` a snapshot
 *   row; the parent pid is `process.ppid` in Auditbeat ≤ 7 and `process.parent.pid` after;
 * - `auditd`: an execve (`event.action: executed`, or `auditd.data.syscall` execve/execveat) is a process
 *   start, not a change to the file in its PATH record (`file.path` is the program that ran).
 * `process.command_line` is built from `process.args` when absent, `process.name` from the executable.
 * Returns false for an event that is not about a process starting, running or ending.
 */
export function addProcessFacts(event: MutableEvent, module: string): boolean {
  const action = text(event['event.action']);
  let type: string | undefined;
  if (module === 'system' && text(event['event.dataset']) === 'process')
    type = action !== undefined ? SYSTEM_PROCESS_TYPES[action] : undefined;
  else if (module === 'auditd') {
    const syscall = text(event['auditd.data.syscall']);
    if (action === 'executed' || (syscall !== undefined && EXEC_SYSCALLS.has(syscall))) type = 'start';
  }
  if (type === undefined) return false;
  event['event.dataset'] = 'process';
  event['event.category'] = ['process'];
  event['event.type'] = [type];
  const executable = text(event['process.executable']) ?? text(event['process.exe']);
  if (executable !== undefined) {
    event['process.executable'] = executable;
    if (event['process.name'] === undefined) event['process.name'] = basename(executable);
  }
  const pid = integer(event['process.pid']);
  if (pid !== undefined) event['process.pid'] = pid;
  const ppid = integer(event['process.parent.pid']) ?? integer(event['process.ppid']);
  if (ppid !== undefined) event['process.parent.pid'] = ppid;
  const args = event['process.args'];
  if (Array.isArray(args) && event['process.command_line'] === undefined)
    event['process.command_line'] = (args as readonly Scalar[]).map(String).join(' ');
  if (module === 'auditd') {
    // the PATH record's file is the program that ran: not a file change for FIM rules to see
    for (const key of Object.keys(event)) if (key.startsWith('file.')) delete event[key];
  }
  return true;
}
