import { ALWAYS_PRESENT, type FieldSet } from '../../domain/field-catalogue';

/** A socket row of ss or lsof (sockets.ts): listeners get server.*, connections source.* and destination.*. */
const SOCKET_ROW = [
  ...ALWAYS_PRESENT,
  'event.category',
  'event.type',
  'event.action',
  'network.transport',
  'network.type',
  'network.state',
  'process.name',
  'process.pid',
  'server.address',
  'server.ip',
  'server.port',
  'source.address',
  'source.ip',
  'source.port',
  'destination.address',
  'destination.ip',
  'destination.port',
];

export const SS_FIELDS: FieldSet = {
  name: 'ss -tunap / -tlnp output',
  datasets: {
    socket: [
      ...SOCKET_ROW,
      'tuxwatch.server.interface',
      'tuxwatch.socket.pids',
      'tuxwatch.socket.process_names',
    ],
  },
};

export const LSOF_FIELDS: FieldSet = {
  name: 'lsof -i -nP output',
  datasets: { socket: [...SOCKET_ROW, 'user.name'] },
};

export const PS_FIELDS: FieldSet = {
  name: 'ps auxww output',
  datasets: {
    process: [
      ...ALWAYS_PRESENT,
      'event.category',
      'event.type',
      'process.pid',
      'process.name',
      'process.executable',
      'process.command_line',
      'process.args',
      'process.args_count',
      'process.start',
      'user.name',
      'tuxwatch.process.stat',
      'tuxwatch.process.tty',
      'tuxwatch.process.kernel_thread',
    ],
  },
};
