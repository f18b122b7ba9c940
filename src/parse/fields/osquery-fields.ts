import { ALWAYS_PRESENT, type FieldSet } from '../../domain/field-catalogue';

/** Every row keeps its columns under osquery.*, and the results line's own facts (osquery.ts). */
const ROW = [...ALWAYS_PRESENT, 'osquery.*', 'tuxwatch.osquery.*'];

/**
 * osquery results logs (osquery-tables.ts): tables with an ECS mapping go to their dataset, any other
 * table stays in dataset osquery with its columns.
 */
export const OSQUERY_FIELDS: FieldSet = {
  name: 'osquery results logs',
  datasets: {
    osquery: ROW,
    process: [
      ...ROW,
      'event.category',
      'event.type',
      'event.action',
      'event.created',
      'process.pid',
      'process.executable',
      'process.name',
      'process.command_line',
      'process.args',
      'process.args_count',
      'user.id',
      'user.effective.id',
      'user.effective.group.id',
      'user.audit.id',
      'group.id',
    ],
    socket: [
      ...ROW,
      'event.category',
      'event.type',
      'event.action',
      'event.created',
      'event.outcome',
      'network.transport',
      'network.type',
      'network.direction',
      'process.pid',
      'process.executable',
      'process.name',
      'server.address',
      'server.ip',
      'server.port',
      'destination.ip',
      'destination.port',
      'user.audit.id',
    ],
  },
};
