import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import type { Fact, FactData } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { errorCode } from '../host/host-fs';
import type { PackageIndex } from '../host/package-index';
import { bootTime, effectiveUid, parseInetTable, parseProcStat, parseUnixTable } from '../parsers/proc';

/** USER_HZ: the kernel reports process start times in these ticks on every architecture Linux runs on */
const CLOCK_TICKS = 100;
const MAX_CMDLINE = 64 * 1024;
const DELETED = ' (deleted)';
const INET_TABLES = ['tcp', 'tcp6', 'udp', 'udp6'] as const;

interface ProcessInfo {
  readonly name: string;
  readonly netns?: string;
}

/**
 * processes: every process in /proc — pid, parent, effective user, start time, executable (and whether
 * its file was deleted, or its path now holds another file: compared through the process's own root, so a
 * container's process is judged in its own file system), command line and working directory — then the
 * sockets of /proc/net/{tcp,tcp6,udp,udp6,unix} of every network namespace in use, joined to the
 * processes holding them by socket inode (/proc/PID/fd). No ss, lsof or netstat is run. Unix sockets are
 * listed only when listening.
 */
export const processesCheck: Check = {
  name: 'processes',
  description:
    'processes from /proc (exe deleted or replaced, command line, cwd) and their sockets from /proc/net, joined by inode',
  async *run(ctx) {
    const packages = await ctx.packages();
    const boot = readProc(ctx, 'stat');
    const bootSeconds = boot !== undefined ? bootTime(boot) : undefined;
    const pids = listPids(ctx);
    const owners = new Map<number, { pid: number; name: string }[]>();
    const byPid = new Map<number, ProcessInfo>();
    let hidden = 0;
    for (const pid of pids) {
      if (Date.now() > ctx.deadline) break;
      const fact = processFact(ctx, pid, bootSeconds, packages);
      if (fact === undefined) continue;
      const netns = link(ctx, `${pid}/ns/net`);
      byPid.set(pid, { name: fact.name, ...(netns !== undefined && { netns }) });
      if (fact.exe === undefined && !fact.kernel_thread) hidden++;
      for (const inode of socketInodes(ctx, pid)) {
        const list = owners.get(inode) ?? [];
        list.push({ pid, name: fact.name });
        owners.set(inode, list);
      }
      yield { fact: 'process', data: fact };
    }
    if (hidden > 0 && !ctx.privileged)
      ctx.note(`${hidden} processes of other users show no executable, directory or sockets without root`);
    yield* sockets(ctx, byPid, owners);
  },
};

function listPids(ctx: CheckContext): number[] {
  try {
    return readdirSync(ctx.proc)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
  } catch (e) {
    ctx.error(errorCode(e), ctx.proc);
    return [];
  }
}

const readProc = (ctx: CheckContext, rel: string): string | undefined => {
  try {
    return readFileSync(`${ctx.proc}/${rel}`, 'utf8');
  } catch {
    return undefined;
  }
};

const link = (ctx: CheckContext, rel: string): string | undefined => {
  try {
    return readlinkSync(`${ctx.proc}/${rel}`);
  } catch {
    return undefined;
  }
};

function processFact(
  ctx: CheckContext,
  pid: number,
  bootSeconds: number | undefined,
  packages: PackageIndex,
): FactData<'process'> | undefined {
  const statText = readProc(ctx, `${pid}/stat`);
  const stat = statText !== undefined ? parseProcStat(statText) : undefined;
  if (stat === undefined) return undefined; // gone since the listing
  const status = readProc(ctx, `${pid}/status`);
  const uid = (status !== undefined ? effectiveUid(status) : undefined) ?? 0;
  const user = ctx.accounts().user(uid);
  const cmdline = readProc(ctx, `${pid}/cmdline`)?.slice(0, MAX_CMDLINE) ?? '';
  const args = cmdline.split('\0');
  if (args[args.length - 1] === '') args.pop();
  const exeLink = stat.kernelThread ? undefined : link(ctx, `${pid}/exe`);
  const deleted = exeLink?.endsWith(DELETED) === true;
  const exe = deleted ? exeLink!.slice(0, -DELETED.length) : exeLink;
  const replaced = exe !== undefined && replacedOnDisk(ctx, pid, exe, deleted);
  const cwd = stat.kernelThread ? undefined : link(ctx, `${pid}/cwd`);
  const start =
    bootSeconds !== undefined
      ? new Date((bootSeconds + stat.startTicks / CLOCK_TICKS) * 1000).toISOString()
      : undefined;
  return {
    pid,
    ppid: stat.ppid,
    uid,
    ...(user !== undefined && { user }),
    name: stat.comm,
    ...(start !== undefined && { start }),
    ...(exe !== undefined && { exe }),
    exe_deleted: deleted,
    exe_replaced: replaced,
    ...(exe !== undefined &&
      packages.manager !== undefined &&
      (deleted || replaced) && { exe_package: packages.owner(exe) }),
    cmdline: args,
    ...(cwd !== undefined && { cwd }),
    kernel_thread: stat.kernelThread,
  };
}

/**
 * Whether the executable's path, seen from the process's own root, now holds another file than the one
 * running (an upgrade replaced it, or someone swapped it): /proc/PID/exe leads to the running inode.
 */
function replacedOnDisk(ctx: CheckContext, pid: number, exe: string, deleted: boolean): boolean {
  if (!exe.startsWith('/')) return false;
  try {
    const onDisk = statSync(`${ctx.proc}/${pid}/root${exe}`);
    if (deleted) return true;
    const running = statSync(`${ctx.proc}/${pid}/exe`);
    return onDisk.ino !== running.ino || onDisk.dev !== running.dev;
  } catch {
    return false;
  }
}

function socketInodes(ctx: CheckContext, pid: number): number[] {
  let fds: string[];
  try {
    fds = readdirSync(`${ctx.proc}/${pid}/fd`);
  } catch {
    return [];
  }
  const inodes: number[] = [];
  for (const fd of fds) {
    const target = link(ctx, `${pid}/fd/${fd}`);
    const m = target !== undefined ? /^socket:\[(\d+)\]$/.exec(target) : null;
    if (m) inodes.push(Number(m[1]));
  }
  return inodes;
}

/** The socket tables of each network namespace in use, read through one of its processes. */
function* sockets(
  ctx: CheckContext,
  byPid: ReadonlyMap<number, ProcessInfo>,
  owners: ReadonlyMap<number, { pid: number; name: string }[]>,
): Generator<Fact> {
  const own = link(ctx, 'self/ns/net');
  const namespaces = new Map<string, string>([[own ?? 'self', 'self']]);
  for (const [pid, p] of byPid)
    if (p.netns !== undefined && !namespaces.has(p.netns)) namespaces.set(p.netns, String(pid));
  const accounts = ctx.accounts();
  let skipped = 0;
  for (const [ns, via] of namespaces) {
    const netns = ns === own ? undefined : /^net:\[(\d+)\]$/.exec(ns)?.[1];
    for (const table of INET_TABLES) {
      const text = readProc(ctx, `${via}/net/${table}`);
      if (text === undefined) continue;
      const parsed = parseInetTable(text);
      skipped += parsed.skipped;
      for (const s of parsed.sockets) {
        const user = accounts.user(s.uid);
        yield {
          fact: 'socket',
          data: {
            protocol: table,
            state: s.state,
            local: s.local,
            remote: s.remote,
            inode: s.inode,
            uid: s.uid,
            ...(user !== undefined && { user }),
            processes: owners.get(s.inode) ?? [],
            ...(netns !== undefined && { netns: Number(netns) }),
          },
        };
      }
    }
    const unix = readProc(ctx, `${via}/net/unix`);
    for (const s of unix !== undefined ? parseUnixTable(unix) : []) {
      if (!s.listening) continue;
      yield {
        fact: 'socket',
        data: {
          protocol: 'unix',
          state: s.state,
          inode: s.inode,
          ...(s.path !== undefined && { path: s.path }),
          processes: owners.get(s.inode) ?? [],
          ...(netns !== undefined && { netns: Number(netns) }),
        },
      };
    }
  }
  if (skipped > 0) ctx.error(`${skipped} lines of /proc/net tables were not readable`);
}
