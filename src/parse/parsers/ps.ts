import type { MutableEvent } from '../../domain/event';
import type { Parser } from '../../domain/parser';
import { basename } from './event-base';
import { snapshotTableParser } from './snapshot-table';
import { PS_FIELDS } from '../fields/snapshot-fields';

const HEADER = /^USER\s+PID\s+%CPU\s+%MEM\s+VSZ\s+RSS\s+TTY\s+STAT\s+START\s+TIME\s+COMMAND\s*$/;
/** USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND (COMMAND is the rest of the line) */
const ROW =
  /^(\S+)\s+(\d+)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+:\d{2}(?::\d{2})?|\d+-\d{2}:\d{2}:\d{2})\s(.*)$/;

/**
 * `ps auxww`: one event per process, observed at ctx.now. COMMAND is argv joined by spaces as ps prints
 * it, so process.args splits on white space (an argument that itself contained a space cannot be told
 * apart). process.name is the basename of argv0 without the `:` of `sshd:` and the `-` of a login shell;
 * process.executable is argv0 when it is an absolute path. Kernel threads (`[kworker/0:1]`) keep the
 * bracketed name without brackets and get tuxwatch.process.kernel_thread: true and no args.
 */
export const psParser: Parser = snapshotTableParser({
  kind: 'ps',
  fields: [PS_FIELDS],
  dataset: 'process',
  header: HEADER,
  row: ROW,
  toEvent(line, base) {
    const m = ROW.exec(line);
    if (!m) return 'not a ps auxww line';
    const [, user, pid, , , , , tty, stat, start, , command] = m as unknown as string[];
    base['event.category'] = ['process'];
    base['event.type'] = ['info'];
    base['process.pid'] = Number(pid);
    base['user.name'] = user!;
    base['process.start'] = start!;
    base['tuxwatch.process.tty'] = tty!;
    base['tuxwatch.process.stat'] = stat!;
    return addCommand(base, command!.trim());
  },
});

function addCommand(event: MutableEvent, command: string): MutableEvent {
  event['process.command_line'] = command;
  const kernel = /^\[(.+)\]$/.exec(command);
  if (kernel) {
    event['process.name'] = kernel[1]!;
    event['tuxwatch.process.kernel_thread'] = true;
    return event;
  }
  const args = command.split(/\s+/).filter((a) => a !== '');
  const argv0 = args[0] ?? '';
  event['process.args'] = args;
  event['process.args_count'] = args.length;
  event['process.name'] = basename(argv0)
    .replace(/:$/, '')
    .replace(/^-(?=.)/, '');
  if (argv0.startsWith('/')) event['process.executable'] = argv0.replace(/:$/, '');
  return event;
}
