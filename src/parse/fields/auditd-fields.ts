import { ALWAYS_PRESENT, type FieldSet } from '../../domain/field-catalogue';

/** Every ECS event made from an audit event (docs/events.md, "ECS events from audit"). */
const FROM_AUDIT = [...ALWAYS_PRESENT, 'event.category', 'event.type', 'event.action', 'auditd.event.id'];

/** A syscall's subject, in Auditbeat's layout (names with ENRICHED logs). */
const SUBJECT = [
  'auditd.session',
  'tags',
  'process.pid',
  'process.parent.pid',
  'process.executable',
  'process.name',
  'process.tty.name',
  'user.id',
  'user.name',
  'user.audit.*',
  'user.effective.*',
  'user.effective.group.*',
  'user.saved.*',
  'user.saved.group.*',
  'user.filesystem.*',
  'user.filesystem.group.*',
  'group.*',
];

/**
 * Raw audit records (src/parse/audit): one event per record with the record's own fields under their
 * audit names, and the ECS events of the other sources made from each audit event.
 */
export const AUDITD_FIELDS: FieldSet = {
  name: 'audit records',
  datasets: {
    // `*`: any dotless name, the record's own fields (type, a0…, exe, comm, name, nametype, key, SYSCALL, …)
    auditd: [...ALWAYS_PRESENT, 'auditd.event.id', '*'],
    process: [
      ...FROM_AUDIT,
      ...SUBJECT,
      'event.outcome',
      'process.args',
      'process.args_count',
      'process.command_line',
      'process.title',
      'process.working_directory',
      'process.exit_code',
    ],
    file_integrity: [
      ...FROM_AUDIT,
      ...SUBJECT,
      'file.path',
      'file.name',
      'file.directory',
      'file.type',
      'file.mode',
      'file.setuid',
      'file.setgid',
      'file.uid',
      'file.gid',
      'file.inode',
      'file.mtime',
      'file.ctime',
      'tuxwatch.file.changed',
      // touch -r: the times copied from another file
      'tuxwatch.file.timestomped',
      'tuxwatch.file.previous.mode',
      'tuxwatch.file.previous.setuid',
      'tuxwatch.file.previous.setgid',
      'tuxwatch.file.previous.uid',
      'tuxwatch.file.previous.gid',
      'tuxwatch.file.previous.inode',
    ],
    socket: [
      ...FROM_AUDIT,
      ...SUBJECT,
      'event.outcome',
      'network.direction',
      'network.type',
      'server.ip',
      'server.port',
      'destination.ip',
      'destination.port',
    ],
    auth: [
      ...FROM_AUDIT,
      'event.outcome',
      'auditd.session',
      'process.pid',
      'process.name',
      'process.tty.name',
      'process.working_directory',
      'source.ip',
      'user.id',
      'user.name',
      'user.audit.id',
      'user.effective.name',
      'user.target.id',
      'user.target.name',
      'group.id',
      'group.name',
      'tuxwatch.auditd.command',
      'tuxwatch.auditd.previous_audit_id',
    ],
  },
};
