import { ALWAYS_PRESENT, type FieldSet } from '../../domain/field-catalogue';

/** The syslog line around the XML, and the System part kept under winlog.* (sysmon-event.ts). */
const RECORD = [
  ...ALWAYS_PRESENT,
  'event.timezone',
  'event.code',
  'event.provider',
  'message',
  'log.syslog.appname',
  'log.syslog.format',
  'winlog.channel',
  'winlog.computer_name',
  'winlog.event_id',
  'winlog.process.pid',
  'winlog.record_id',
  'winlog.task',
  // every Data field as Sysmon wrote it
  'winlog.event_data.*',
];

const CHANGE = ['event.category', 'event.type', 'event.action'];
const ACTOR = ['process.executable', 'process.name', 'process.pid', 'process.entity_id', 'user.name'];

/** Sysmon for Linux records, bare or inside any syslog carrier (docs/events.md, the EventID table). */
export const SYSMON_FIELDS: FieldSet = {
  name: 'Sysmon for Linux records',
  datasets: {
    syslog: [...RECORD, 'process.name'],
    process: [
      ...RECORD,
      ...CHANGE,
      ...ACTOR,
      'process.command_line',
      'process.args',
      'process.args_count',
      'process.working_directory',
      'process.start',
      'process.parent.executable',
      'process.parent.name',
      'process.parent.command_line',
      'process.parent.args',
      'process.parent.args_count',
      'process.parent.pid',
      'process.parent.entity_id',
      'process.parent.user.name',
      'user.audit.id',
    ],
    socket: [
      ...RECORD,
      ...CHANGE,
      ...ACTOR,
      'network.transport',
      'network.type',
      'network.direction',
      'source.ip',
      'source.port',
      'destination.ip',
      'destination.port',
    ],
    file_integrity: [
      ...RECORD,
      ...CHANGE,
      ...ACTOR,
      'file.path',
      'file.name',
      'file.directory',
      'file.created',
    ],
  },
};
