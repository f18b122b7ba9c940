import { z } from 'zod';
import { CHECK_NAMES, FILE_TYPES, SNAPSHOT_RECORD_TYPE, UTMP_TYPES, type CheckName } from './snapshot-names';

/**
 * The records `tuxwatch collect` writes, one JSON line per fact (input kind `snapshot`). This schema is
 * the contract between the collector, which builds records from it, and the snapshot parser, which reads
 * them from files and Kafka and must not trust them: every field is checked on the way in.
 *
 * A record names its run (one collect invocation), host, the time the run started, the check that found
 * the fact, and the fact itself. Facts are data, never verdicts: whether a UID 0 alias or a NOPASSWD rule
 * is a finding is decided by the rules in detections/, and whether a fact is new by the per-host baseline.
 * The names (record type, checks, file and utmp types) are in snapshot-names.ts: code on a scan's path reads
 * them without loading the schema and zod.
 */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

const text = z.string().max(65_536);
const path = z.string().min(1).max(4_096);
const name = z.string().max(256);
const time = z.string().regex(ISO_UTC, 'must be an ISO 8601 UTC time');
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const id = z.number().int().nonnegative().max(0xffffffff);
const port = z.number().int().min(0).max(65_535);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(10_000);

/** A file as the collector saw it: lstat, never followed. `package`: null = owned by no package. */
export const FileInfo = z.object({
  path,
  type: z.enum(FILE_TYPES),
  /** four octal digits with the special bits, as events carry it */
  mode: z.string().regex(/^[0-7]{4}$/),
  uid: id,
  gid: id,
  owner: name.optional(),
  group: name.optional(),
  size: count,
  inode: count.optional(),
  mtime: time,
  ctime: time,
  /** birth time, where the file system keeps one */
  btime: time.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** the package that owns the path; null: none does; absent: not looked up */
  package: name.nullable().optional(),
});
export type FileInfo = z.infer<typeof FileInfo>;

const account = z.object({
  name,
  uid: id,
  gid: id,
  gecos: text,
  home: text,
  shell: text,
  /** what the passwd file's own password field holds: `x` (see shadow), nothing, or a hash */
  password_field: z.enum(['shadow', 'empty', 'hash', 'locked']),
  /** null when /etc/shadow has no line for the account (or could not be read: see the check's notes) */
  shadow: z
    .object({
      status: z.enum(['set', 'locked', 'empty']),
      /** YYYY-MM-DD of the last password change; absent when 0 or empty */
      last_change: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      /** the password must be changed at next login (last change 0) */
      must_change: z.boolean(),
    })
    .nullable(),
  /** supplementary groups from /etc/group */
  groups: list(name),
});

const group = z.object({
  name,
  gid: id,
  members: list(name),
  /** from /etc/gshadow, when readable */
  admins: list(name).optional(),
  shadow_members: list(name).optional(),
});

const groupMember = z.object({
  group: name,
  gid: id,
  account: name,
  /** the account's primary group (passwd GID), not a member line of /etc/group */
  primary: z.boolean(),
});

const sudoRule = z.object({
  file: path,
  line: count,
  /** the user list as written (`%sudo`, `alice`, `ALL`, `User_Alias` names expanded) */
  users: list(name),
  /** the accounts it names, with %group members and aliases expanded, where the accounts check knows them */
  accounts: list(name),
  hosts: list(text),
  runas: list(text),
  commands: list(text),
  nopasswd: z.boolean(),
  tags: list(name),
});

const authorizedKey = z.object({
  account: name,
  file: FileInfo,
  line: count,
  key_type: name,
  /** `SHA256:` + unpadded base64, as ssh-keygen -l prints it */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/),
  comment: text,
  options: list(text),
  command: text.optional(),
  from: text.optional(),
});

const inittabEntry = z.object({
  file: path,
  line: count,
  id: name,
  runlevels: name,
  action: name,
  process: text,
});

const hostsEntry = z.object({ file: path, line: count, ip: name, names: list(name) });

const commandLine = z.object({ file: FileInfo, line: count, command: text });

const systemdUnit = z.object({
  file: FileInfo,
  unit: name,
  /** ExecStart= and the other Exec*= lines */
  exec: list(text),
  /** OnCalendar=/OnBootSec=/... of a timer */
  schedule: list(text),
  /** where a unit that is a symlink points (not followed) */
  target: text.optional(),
});

const cronEntry = z.object({
  file: FileInfo,
  line: count,
  /** the user column of /etc/crontab and /etc/cron.d; for a user crontab, its owner */
  user: name,
  schedule: name,
  command: text,
});

const fileOnly = z.object({ file: FileInfo });
/** a profile with the content /etc/skel gave every new account */
const shellProfile = z.object({ file: FileInfo, skeleton_copy: z.boolean() });
const ldPreload = z.object({ file: path, line: count, library: text });

const suidFile = z.object({
  file: FileInfo,
  /** the same content as a shell or interpreter of the host, or named like one */
  shell_copy: z.boolean(),
});

const packageVerify = z.object({
  manager: z.enum(['dpkg', 'rpm']),
  path,
  package: name.optional(),
  conffile: z.boolean(),
  missing: z.boolean(),
  /** which checks failed: checksum, mode, size, owner, group, mtime, link, device, capabilities */
  failed: list(name),
  /** the tool's own error for the file (e.g. permission denied) */
  error: text.optional(),
  /** the file as it is now, when it exists */
  current: FileInfo.optional(),
});

const processFact = z.object({
  pid: count,
  ppid: count,
  uid: id,
  user: name.optional(),
  name,
  start: time.optional(),
  exe: text.optional(),
  /** the running image's file is gone (`/proc/PID/exe` says `(deleted)`) */
  exe_deleted: z.boolean(),
  /** the path now holds another file than the one running */
  exe_replaced: z.boolean(),
  /** the package owning the executable's path; null: none (absent when the host has no package database) */
  exe_package: name.nullable().optional(),
  cmdline: list(text),
  cwd: text.optional(),
  kernel_thread: z.boolean(),
});

const endpoint = z.object({ ip: name, port });

const socket = z.object({
  protocol: z.enum(['tcp', 'tcp6', 'udp', 'udp6', 'unix']),
  /** ss's vocabulary: LISTEN, ESTAB, UNCONN, ... */
  state: name,
  local: endpoint.optional(),
  remote: endpoint.optional(),
  /** a unix socket's path (`@` for the abstract namespace) */
  path: text.optional(),
  inode: count,
  uid: id.optional(),
  user: name.optional(),
  processes: list(z.object({ pid: count, name })),
  /** the network namespace (inode), when not the collector's own: a container's socket */
  netns: count.optional(),
});

const login = z.object({
  /** the file: wtmp (logins and logouts), btmp (failed logins), utmp (who is logged in now) */
  source: z.enum(['wtmp', 'btmp', 'utmp']),
  file: path,
  type: z.enum(UTMP_TYPES),
  user: name,
  line: name,
  host: text,
  ip: name.optional(),
  pid: count,
  time,
});

const lastlog = z.object({ file: path, uid: id, user: name.optional(), time, line: name, host: text });

const timeSync = z.object({
  /** null when no time service could say */
  synchronized: z.boolean().nullable(),
  /** what said so: timedatectl, chronyc, systemd-timesyncd, kernel */
  source: name,
  zone: name.optional(),
  detail: text.optional(),
});

const checkSummary = z.object({
  status: z.enum(['ok', 'degraded', 'failed', 'timeout']),
  duration_ms: count,
  facts: count,
  /** peak resident memory of the collector so far */
  max_rss_mb: z.number().nonnegative(),
  errors: list(z.object({ path: text.optional(), message: text })),
  notes: list(text),
});

/** Every fact by name, with its data. */
export const FACTS = {
  account,
  group,
  'group-member': groupMember,
  'sudo-rule': sudoRule,
  'authorized-key': authorizedKey,
  'inittab-entry': inittabEntry,
  'hosts-entry': hostsEntry,
  'rc-local': commandLine,
  'systemd-unit': systemdUnit,
  'cron-entry': cronEntry,
  'cron-script': fileOnly,
  'ld-preload': ldPreload,
  'shell-profile': shellProfile,
  'suid-file': suidFile,
  'world-writable': fileOnly,
  'hidden-directory': fileOnly,
  'dev-file': fileOnly,
  'recent-binary': fileOnly,
  'timestomp-hint': fileOnly,
  'unowned-binary': fileOnly,
  'package-verify': packageVerify,
  process: processFact,
  socket,
  login,
  lastlog,
  'time-sync': timeSync,
  check: checkSummary,
} as const;

export type FactName = keyof typeof FACTS;
export type FactData<F extends FactName> = z.infer<(typeof FACTS)[F]>;

const envelope = {
  type: z.literal(SNAPSHOT_RECORD_TYPE),
  v: z.literal(1),
  /** one collect invocation */
  run: z.string().regex(/^[0-9a-f-]{8,64}$/),
  host: z.string().min(1).max(255),
  /** when the run started (UTC) */
  at: time,
  check: z.enum(CHECK_NAMES),
};

export const SnapshotRecord = z.discriminatedUnion(
  'fact',
  (Object.keys(FACTS) as FactName[]).map((fact) =>
    z.object({ ...envelope, fact: z.literal(fact), data: FACTS[fact] }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

/** A record as the collector writes it: the envelope and one fact. */
export type SnapshotRecord = {
  [F in FactName]: {
    type: typeof SNAPSHOT_RECORD_TYPE;
    v: 1;
    run: string;
    host: string;
    at: string;
    check: CheckName;
    fact: F;
    data: FactData<F>;
  };
}[FactName];

/** One fact as a check yields it; the runner adds the envelope. */
export type Fact = { [F in FactName]: { fact: F; data: FactData<F> } }[FactName];
