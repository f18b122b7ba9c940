import type { FieldValue, MutableEvent } from '../../../domain/event';
import { addSocket, familyOf, type Endpoint } from '../sockets';
import type { FactMapper } from './fact-event';
import { keyOf } from './fact-event';

/**
 * A process from /proc, in the shape of a `ps` snapshot row (process_creation rules run over both) plus
 * what only /proc tells: the parent, the executable and whether its file was deleted or replaced, the
 * working directory. A deleted or replaced executable is keyed (by path and name) so the baseline sees
 * it once, whatever its pid after a restart.
 */
export const processFact: FactMapper<'process'> = (p) => {
  const exeGone = p.exe_deleted || p.exe_replaced;
  const fields: Record<string, FieldValue> = {
    'event.category': ['process'],
    'event.type': ['info'],
    'process.pid': p.pid,
    'process.parent.pid': p.ppid,
    'process.name': p.name,
    'user.id': String(p.uid),
    'tuxwatch.process.kernel_thread': p.kernel_thread,
    'tuxwatch.process.exe_deleted': p.exe_deleted,
    'tuxwatch.process.exe_replaced': p.exe_replaced,
  };
  if (p.user !== undefined) fields['user.name'] = p.user;
  if (p.start !== undefined) fields['process.start'] = new Date(p.start).toISOString();
  if (p.exe !== undefined) fields['process.executable'] = p.exe;
  if (p.exe_package !== undefined) {
    fields['tuxwatch.process.exe_package'] = p.exe_package;
    fields['tuxwatch.process.exe_packaged'] = p.exe_package !== null;
  }
  if (p.cwd !== undefined) fields['process.working_directory'] = p.cwd;
  if (p.cmdline.length > 0) {
    fields['process.command_line'] = p.cmdline.join(' ');
    fields['process.args'] = p.cmdline;
    fields['process.args_count'] = p.cmdline.length;
  }
  return {
    dataset: 'process',
    ...(exeGone && { key: keyOf('process-exe', p.exe ?? '', p.name, p.exe_deleted, p.exe_replaced) }),
    fields,
  };
};

/**
 * A socket from /proc/net, joined to its processes by inode, as the socket events of ss and lsof.
 * Listeners are keyed by transport, program and port (what the listener baseline compares); unix sockets
 * (listening ones only are collected) carry their path and no port.
 */
export const socket: FactMapper<'socket'> = (s) => {
  // addSocket fills an event; its time and original are the parser's, set around these fields
  const event: MutableEvent = { '@timestamp': '', 'event.original': '' };
  const processes = s.processes.map((p) => ({ name: p.name, pid: p.pid }));
  if (s.protocol === 'unix') {
    event['event.category'] = ['network'];
    event['event.type'] = ['info'];
    event['event.action'] = 'unix-socket-listening';
    event['network.state'] = s.state;
    if (s.path !== undefined) event['tuxwatch.socket.path'] = s.path;
    if (processes[0]) {
      event['process.name'] = processes[0].name;
      event['process.pid'] = processes[0].pid;
    }
  } else {
    const transport = s.protocol.startsWith('tcp') ? 'tcp' : 'udp';
    const local = endpoint(s.local ?? { ip: '0.0.0.0', port: 0 });
    const peer = s.remote && s.remote.port !== 0 ? endpoint(s.remote) : undefined;
    const listening = s.state === 'LISTEN' || (transport === 'udp' && s.state === 'UNCONN' && !peer);
    addSocket(event, { transport, state: s.state, local, peer, processes, user: s.user, listening });
  }
  if (s.uid !== undefined) event['user.id'] = String(s.uid);
  event['tuxwatch.socket.inode'] = s.inode;
  const { '@timestamp': _t, 'event.original': _o, ...rest } = event;
  const fields = rest as Record<string, FieldValue>;
  const program = s.processes[0]?.name;
  const listening = event['event.action'] === 'socket-listening';
  return {
    dataset: 'socket',
    ...(listening && { key: keyOf('listener', s.protocol, program ?? '', s.local?.port ?? 0) }),
    fields,
  };
};

const endpoint = (e: { ip: string; port: number }): Endpoint => ({
  address: familyOf(e.ip) === 'ipv6' ? `[${e.ip}]` : e.ip,
  ip: e.ip,
  port: e.port,
  wildcard: e.ip === '0.0.0.0' || e.ip === '::',
});
