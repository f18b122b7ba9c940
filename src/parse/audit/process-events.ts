import type { MutableEvent } from '../../domain/event';
import { basename } from '../parsers/event-base';
import { meaningful, value, type AuditEventView } from './audit-view';

const EXEC = new Set(['execve', 'execveat']);
const EXIT = new Set(['exit', 'exit_group']);

/**
 * A process start from a successful execve/execveat (ECS `event.type: start`, Auditbeat's `executed`):
 * the new image (`process.executable` from the SYSCALL's `exe`), its arguments, command line and working
 * directory, and the subject fields of `AuditEventView.subject`. A failed exec started nothing and has no
 * arguments (the kernel writes no EXECVE record); it gets no process event. exit/exit_group is the
 * process's end (`event.type: end`).
 */
export function processEvent(view: AuditEventView, base: MutableEvent): MutableEvent | undefined {
  const name = view.syscallName;
  if (name === undefined) return undefined;
  if (EXIT.has(name)) {
    Object.assign(base, view.subject(), {
      'event.category': ['process'],
      'event.type': ['end'],
      'event.action': 'exited',
    });
    const code = value(view.syscall, 'a0');
    if (code !== undefined && /^[0-9a-f]{1,8}$/i.test(code))
      base['process.exit_code'] = parseInt(code, 16) | 0;
    return base;
  }
  if (!EXEC.has(name) || view.succeeded !== true) return undefined;
  const args = view.execArgs();
  if (args === undefined) return undefined;
  Object.assign(base, view.subject(), {
    'event.category': ['process'],
    'event.type': ['start'],
    'event.action': 'executed',
    'event.outcome': 'success',
    'process.args': args,
    'process.args_count': args.length,
    'process.command_line': args.join(' '),
  });
  const exe = base['process.executable'];
  if (typeof exe !== 'string' && args[0] !== undefined && args[0].startsWith('/'))
    base['process.executable'] = args[0];
  if (typeof base['process.executable'] === 'string' && base['process.name'] === undefined)
    base['process.name'] = basename(base['process.executable']);
  const cwd = view.cwd;
  if (cwd !== undefined) base['process.working_directory'] = cwd;
  const title = meaningful(value(view.first('PROCTITLE'), 'proctitle'));
  if (title !== undefined) base['process.title'] = title.replace(/\0+$/, '').replace(/\0/g, ' ');
  return base;
}

/** Whether the event is an exec or an exit, which ExecMemory follows. */
export const isExec = (view: AuditEventView): boolean =>
  view.syscallName !== undefined && EXEC.has(view.syscallName) && view.succeeded === true;
export const isExit = (view: AuditEventView): boolean =>
  view.syscallName !== undefined && EXIT.has(view.syscallName);
