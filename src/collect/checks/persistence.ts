import type { Stats } from 'node:fs';
import type { Fact, FileInfo } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { errorCode, fileInfo } from '../host/host-fs';
import type { PackageIndex } from '../host/package-index';
import {
  parseAnacrontab,
  parseCrontab,
  parseHosts,
  parseInittab,
  parseLdPreload,
  parseUnit,
  type CronEntry,
} from '../parsers/persistence-files';

const SYSTEMD_DIRS = [
  '/etc/systemd/system',
  '/etc/systemd/user',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/usr/lib/systemd/user',
  '/lib/systemd/system',
  '/lib/systemd/user',
];
const UNIT_FILE = /\.(service|timer|socket|path)$/;
const SYSTEM_PROFILES = [
  '/etc/profile',
  '/etc/bash.bashrc',
  '/etc/bashrc',
  '/etc/environment',
  '/etc/zsh/zshenv',
  '/etc/zsh/zprofile',
  '/etc/zsh/zshrc',
  '/etc/zsh/zlogin',
  '/etc/zshenv',
  '/etc/zprofile',
  '/etc/zshrc',
  '/etc/csh.cshrc',
  '/etc/csh.login',
];
const USER_PROFILES = [
  '.bashrc',
  '.bash_profile',
  '.bash_login',
  '.bash_logout',
  '.profile',
  '.zshrc',
  '.zshenv',
  '.zprofile',
  '.zlogin',
  '.cshrc',
  '.tcshrc',
  '.login',
  '.kshrc',
  '.mkshrc',
];
/** package managers' leftovers and editor backups: not read by cron or systemd */
const BACKUP = /(~|\.dpkg-(old|new|dist|bak|tmp)|\.rpm(save|new|orig)|\.swp|\.bak)$/;

/**
 * persistence: what runs again by itself — inittab entries, rc.local lines, systemd units, drop-ins and
 * timers the package database does not own, cron tables (system, per-user, anacron) and /etc/cron.*
 * scripts, ld.so.preload, system and per-user shell profiles — and /etc/hosts entries. Packaged units and
 * scripts are left to the packages check, which verifies them; cron entries are listed wherever they are,
 * since /etc/crontab itself belongs to the cron package.
 */
export const persistenceCheck: Check = {
  name: 'persistence',
  description:
    'inittab, rc.local, systemd units/timers outside the package database, cron, ld.so.preload, shell profiles, /etc/hosts',
  async *run(ctx) {
    const packages = await ctx.packages();
    yield* inittab(ctx);
    yield* rcLocal(ctx);
    yield* systemdUnits(ctx, packages);
    yield* cron(ctx, packages);
    yield* ldPreload(ctx);
    yield* profiles(ctx, packages);
    yield* hosts(ctx);
  },
};

/** Reads a text file, reporting why not (a missing file is not an error: most hosts lack most of these). */
function read(ctx: CheckContext, path: string): { text: string; stat: Stats } | undefined {
  const r = ctx.fs.readText(path, ctx.options.maxFileBytes);
  if (r.ok) return { text: r.text!, stat: r.stat };
  if (r.code !== 'ENOENT' && r.code !== 'ENOTDIR') {
    if (r.code === 'EACCES' && !ctx.privileged)
      ctx.note('files readable by root only (crontabs, some units) are not in this run');
    else ctx.error(r.reason, path);
  }
  return undefined;
}

function info(ctx: CheckContext, path: string, stat: Stats, packages?: PackageIndex, hash = false): FileInfo {
  const a = ctx.accounts();
  return fileInfo(path, stat, {
    owner: a.user(stat.uid),
    group: a.group(stat.gid),
    ...(hash && { sha256: ctx.fs.sha256(path, ctx.options.maxFileBytes) }),
    ...(packages?.manager !== undefined && { package: packages.owner(path) }),
  });
}

/** Regular files (and symlinks, when asked) directly in a directory, names sorted. */
function filesIn(ctx: CheckContext, dir: string, symlinks = false): string[] {
  try {
    return ctx.fs
      .readdir(dir)
      .filter(
        (d) =>
          (d.isFile() || (symlinks && d.isSymbolicLink())) && !d.name.startsWith('.') && !BACKUP.test(d.name),
      )
      .map((d) => `${dir}/${d.name}`)
      .sort();
  } catch (e) {
    const code = errorCode(e);
    if (code === 'EACCES' && !ctx.privileged) ctx.note(`${dir} is readable by root only`);
    else if (code !== 'ENOENT' && code !== 'ENOTDIR') ctx.error(code, dir);
    return [];
  }
}

function* inittab(ctx: CheckContext): Generator<Fact> {
  const f = read(ctx, '/etc/inittab');
  if (!f) return;
  const parsed = parseInittab(f.text);
  parsed.problems.forEach((p) => ctx.error(p, '/etc/inittab'));
  for (const e of parsed.entries) yield { fact: 'inittab-entry', data: { file: '/etc/inittab', ...e } };
}

function* rcLocal(ctx: CheckContext): Generator<Fact> {
  for (const path of ['/etc/rc.local', '/etc/rc.d/rc.local']) {
    const f = read(ctx, path);
    if (!f) continue;
    const file = info(ctx, path, f.stat);
    const lines = f.text.split('\n');
    for (const [i, raw] of lines.entries()) {
      const command = raw.trim();
      if (command === '' || command.startsWith('#')) continue;
      yield { fact: 'rc-local', data: { file, line: i + 1, command } };
    }
  }
}

function* systemdUnits(ctx: CheckContext, packages: PackageIndex): Generator<Fact> {
  const dirs = [
    ...SYSTEMD_DIRS,
    ...ctx
      .accounts()
      .passwd.filter((p) => p.home.startsWith('/') && p.home !== '/')
      .map((p) => `${p.home}/.config/systemd/user`),
  ];
  const seen = new Set<string>();
  for (const dir of dirs) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    let entries;
    try {
      entries = ctx.fs.readdir(dir);
    } catch {
      continue;
    }
    for (const d of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${d.name}`;
      if (d.isDirectory() && d.name.endsWith('.d')) {
        // drop-ins override a unit, packaged or not: ExecStart= in foo.service.d/override.conf replaces foo's
        for (const conf of filesIn(ctx, path).filter((p) => p.endsWith('.conf')))
          yield* unit(ctx, conf, packages, dirs);
      } else if (UNIT_FILE.test(d.name) && (d.isFile() || d.isSymbolicLink())) {
        yield* unit(ctx, path, packages, dirs);
      }
    }
  }
}

function* unit(
  ctx: CheckContext,
  path: string,
  packages: PackageIndex,
  unitDirs: readonly string[],
): Generator<Fact> {
  const stat = ctx.fs.lstat(path);
  if (!stat) return;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (stat.isSymbolicLink()) {
    const target = ctx.fs.readlink(path) ?? '';
    // links to /dev/null mask a unit; links into the unit directories alias one that is listed there
    if (target === '/dev/null' || !target.startsWith('/') || unitDirs.some((d) => target.startsWith(`${d}/`)))
      return;
    yield {
      fact: 'systemd-unit',
      data: { file: info(ctx, path, stat, packages), unit: name, exec: [], schedule: [], target },
    };
    return;
  }
  if (packages.manager !== undefined && packages.owner(path) !== null) return;
  const f = read(ctx, path);
  if (!f) return;
  const { exec, schedule } = parseUnit(f.text);
  yield {
    fact: 'systemd-unit',
    data: { file: info(ctx, path, f.stat, packages, true), unit: name, exec, schedule },
  };
}

function* cron(ctx: CheckContext, packages: PackageIndex): Generator<Fact> {
  const tables: { path: string; system: boolean; user?: string }[] = [
    { path: '/etc/crontab', system: true },
    ...filesIn(ctx, '/etc/cron.d').map((path) => ({ path, system: true })),
    ...['/var/spool/cron/crontabs', '/var/spool/cron/tabs', '/var/spool/cron'].flatMap((dir) =>
      filesIn(ctx, dir).map((path) => ({ path, system: false, user: path.slice(dir.length + 1) })),
    ),
  ];
  for (const t of tables) {
    const f = read(ctx, t.path);
    if (!f) continue;
    const file = info(ctx, t.path, f.stat, packages);
    const parsed = parseCrontab(f.text, t.system);
    parsed.problems.forEach((p) => ctx.error(p, t.path));
    for (const e of parsed.entries) yield cronFact(file, e, t.user ?? file.owner ?? String(file.uid));
  }
  const ana = read(ctx, '/etc/anacrontab');
  if (ana) {
    const file = info(ctx, '/etc/anacrontab', ana.stat, packages);
    for (const e of parseAnacrontab(ana.text)) yield cronFact(file, e, 'root');
  }
  for (const period of ['hourly', 'daily', 'weekly', 'monthly', 'yearly']) {
    for (const path of filesIn(ctx, `/etc/cron.${period}`)) {
      const stat = ctx.fs.lstat(path);
      if (stat) yield { fact: 'cron-script', data: { file: info(ctx, path, stat, packages, true) } };
    }
  }
}

const cronFact = (file: FileInfo, e: CronEntry, user: string): Fact => ({
  fact: 'cron-entry',
  data: { file, line: e.line, user: e.user ?? user, schedule: e.schedule, command: e.command },
});

function* ldPreload(ctx: CheckContext): Generator<Fact> {
  const f = read(ctx, '/etc/ld.so.preload');
  if (!f) return;
  for (const e of parseLdPreload(f.text))
    yield { fact: 'ld-preload', data: { file: '/etc/ld.so.preload', ...e } };
}

function* profiles(ctx: CheckContext, packages: PackageIndex): Generator<Fact> {
  const homes = [
    ...new Set(
      ctx
        .accounts()
        .passwd.map((p) => p.home)
        .filter((h) => h.startsWith('/') && h !== '/'),
    ),
  ];
  const paths = [
    ...SYSTEM_PROFILES,
    ...filesIn(ctx, '/etc/profile.d'),
    ...homes.flatMap((h) => USER_PROFILES.map((n) => `${h.replace(/\/+$/, '')}/${n}`)),
  ];
  // useradd -m copies /etc/skel into every new home: those copies are the account's start, not an entry
  const skeleton = new Set(
    USER_PROFILES.map((n) => ctx.fs.sha256(`/etc/skel/${n}`, ctx.options.maxFileBytes)).filter(
      (h) => h !== undefined,
    ),
  );
  for (const path of paths) {
    const stat = ctx.fs.lstat(path);
    if (!stat || !stat.isFile()) continue;
    const file = info(ctx, path, stat, packages, true);
    const skeletonCopy = !path.startsWith('/etc/') && file.sha256 !== undefined && skeleton.has(file.sha256);
    yield { fact: 'shell-profile', data: { file, skeleton_copy: skeletonCopy } };
  }
}

function* hosts(ctx: CheckContext): Generator<Fact> {
  const f = read(ctx, '/etc/hosts');
  if (!f) return;
  for (const e of parseHosts(f.text)) yield { fact: 'hosts-entry', data: { file: '/etc/hosts', ...e } };
}
