import { ALWAYS_PRESENT, type FieldSet } from '../../domain/field-catalogue';

/**
 * Auditbeat documents are ECS already and kept whole (auditbeat.ts): besides the fields tuxwatch
 * normalises, the families Auditbeat and Elastic Agent write pass through as they are.
 */
const DOCUMENT = [
  ...ALWAYS_PRESENT,
  'event.category',
  'event.type',
  'event.action',
  'tuxwatch.source_module',
];
const BEAT = ['beat.*', 'agent.*', 'elastic_agent.*', 'data_stream.*', 'ecs.version', 'host.*', 'host.os.*'];
/** what Auditbeat's own output (the file or Kafka output) adds around an event */
const SHIPPER = ['@metadata.*', 'agent.*', 'ecs.version'];

export const AUDITBEAT_FIELDS: FieldSet = {
  name: 'Auditbeat events',
  datasets: {
    file_integrity: [
      ...DOCUMENT,
      ...BEAT,
      'event.agent_id_status',
      'event.ingested',
      'service.type',
      'tags',
      'file.path',
      'file.name',
      'file.directory',
      'file.type',
      'file.mode',
      'file.setuid',
      'file.setgid',
      'file.uid',
      'file.gid',
      'file.owner',
      'file.group',
      'file.inode',
      'file.size',
      'file.mtime',
      'file.ctime',
      'file.hash.*',
      // Auditbeat 6 wrote the hashes at the top level; they are copied to file.hash.*
      'hash.*',
    ],
    process: [
      ...DOCUMENT,
      ...SHIPPER,
      'event.outcome',
      'message',
      'service.type',
      'tags',
      // an auditd execve keeps its records' fields (auditd.data.argc, auditd.paths, …)
      'auditd.**',
      'process.pid',
      'process.executable',
      'process.name',
      'process.command_line',
      'process.args',
      'process.working_directory',
      'process.start',
      'process.entity_id',
      'process.title',
      'process.parent.pid',
      // Auditbeat ≤ 7 named the parent pid process.ppid; it is copied to process.parent.pid
      'process.ppid',
      'user.id',
      'user.name',
      'user.audit.id',
      'user.group.*',
      'user.effective.*',
      'user.effective.group.*',
      'user.saved.*',
      'user.saved.group.*',
      'user.filesystem.*',
      'user.filesystem.group.*',
    ],
    // auditd records other than an exec keep everything Auditbeat wrote
    auditd: [
      ...DOCUMENT,
      ...SHIPPER,
      'beat.*',
      'event.outcome',
      'service.type',
      'auditd.**',
      'process.*',
      'user.**',
      'source.ip',
      'network.direction',
    ],
  },
};
