import type { MutableEvent, SiemEvent } from '../../domain/event';
import type { ParseContext, Parser } from '../../domain/parser';
import { parsed, rejected } from '../../domain/parser';
import { baseEvent, basename, observedAt } from './event-base';
import { guarded, recordLines } from './record-limits';

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
export const psParser: Parser = {
  kind: 'ps',
  sniff(text) {
    const first = text.trimStart().split('\n', 1)[0] ?? '';
    return HEADER.test(first) || ROW.test(first);
  },
  parse: guarded(parsePs),
};

function parsePs(text: string, ctx: ParseContext) {
  const lines = recordLines(text);
  if (!lines.ok) return rejected(lines.reason);
  const timestamp = observedAt(ctx);
  const events: SiemEvent[] = [];
  for (const [i, line] of lines.lines.entries()) {
    if (HEADER.test(line)) continue;
    const m = ROW.exec(line);
    if (!m) return rejected(`line ${i + 1}: not a ps auxww line`);
    const [, user, pid, , , , , tty, stat, start, , command] = m as unknown as string[];
    const base = baseEvent({ timestamp, original: line, kind: 'ps', dataset: 'process' }, ctx);
    base['event.category'] = ['process'];
    base['event.type'] = ['info'];
    base['process.pid'] = Number(pid);
    base['user.name'] = user!;
    base['process.start'] = start!;
    base['tuxwatch.process.tty'] = tty!;
    base['tuxwatch.process.stat'] = stat!;
    events.push(addCommand(base, command!.trim()));
  }
  return parsed(events);
}

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
