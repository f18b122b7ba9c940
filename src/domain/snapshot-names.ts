/**
 * The names of `tuxwatch collect`'s records (snapshot-record.ts) that code needs without the schema: the
 * record type, the checks, the file and utmp types. The schema loads zod, which with the schema's own
 * construction took 37 ms of every scan thread's start-up: code on a scan's path imports from here.
 */
export const SNAPSHOT_RECORD_TYPE = 'tuxwatch-snapshot';

/** The checks of `tuxwatch collect`, in the order they run. */
export const CHECK_NAMES = [
  'accounts',
  'ssh',
  'persistence',
  'filesystem',
  'packages',
  'processes',
  'logins',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export const FILE_TYPES = ['file', 'dir', 'symlink', 'char', 'block', 'fifo', 'socket'] as const;

export const UTMP_TYPES = [
  'EMPTY',
  'RUN_LVL',
  'BOOT_TIME',
  'NEW_TIME',
  'OLD_TIME',
  'INIT_PROCESS',
  'LOGIN_PROCESS',
  'USER_PROCESS',
  'DEAD_PROCESS',
  'ACCOUNTING',
] as const;
