import type { Fact } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { LASTLOG_SIZE, parseLastlog, parseUtmp, UTMP_SIZE } from '../parsers/utmp';

/** wtmp and btmp are read from their end: the latest records, at most this many of each */
const MAX_RECORDS = 20_000;
/** wtmp types that are logins, logouts, boots and shutdowns; INIT/LOGIN_PROCESS are getty bookkeeping */
const LOGIN_TYPES = new Set(['USER_PROCESS', 'DEAD_PROCESS', 'BOOT_TIME', 'RUN_LVL']);

/**
 * logins: wtmp (logins, logouts, boots), btmp (failed logins) and utmp (sessions open now) in the binary
 * utmp format, lastlog per account; then the clock — is it synchronised (timedatectl, chronyc, or
 * systemd-timesyncd's flag file) and in which zone — without which log times cannot be trusted.
 */
export const loginsCheck: Check = {
  name: 'logins',
  description:
    'wtmp/btmp/utmp and lastlog (binary utmp format) as authentication events; clock synchronisation and zone',
  async *run(ctx) {
    for (const [source, paths] of [
      ['wtmp', ['/var/log/wtmp']],
      ['btmp', ['/var/log/btmp']],
      ['utmp', ['/run/utmp', '/var/run/utmp']],
    ] as const) {
      const path = paths.find((p) => ctx.fs.lstat(p)?.isFile());
      if (path !== undefined) yield* utmpFile(ctx, source, path);
    }
    yield* lastlog(ctx);
    for (const sqlite of ['/var/lib/wtmpdb/wtmp.db', '/var/lib/lastlog/lastlog2.db'])
      if (ctx.fs.lstat(sqlite))
        ctx.note(`${sqlite} (SQLite, the successor of wtmp/lastlog) is not read by this version`);
    yield await clock(ctx);
  },
};

function* utmpFile(ctx: CheckContext, source: 'wtmp' | 'btmp' | 'utmp', path: string): Generator<Fact> {
  const r = ctx.fs.readAt(path, -MAX_RECORDS * UTMP_SIZE, MAX_RECORDS * UTMP_SIZE);
  if (!r.ok) {
    if (r.code === 'EACCES' && !ctx.privileged) ctx.note(`${path} is readable by root (or group utmp) only`);
    else ctx.error(r.reason, path);
    return;
  }
  // a tail read may start inside a record: realign on the record size from the end
  const data = r.truncated ? r.data.subarray(r.data.length % UTMP_SIZE) : r.data;
  const parsed = parseUtmp(data);
  if (r.truncated) ctx.note(`${path}: only its latest ${MAX_RECORDS} records are read`);
  if (parsed.skipped > 0) ctx.error(`${parsed.skipped} records with an unknown type or time skipped`, path);
  if (parsed.partial && !r.truncated)
    ctx.error('ends inside a record (written to while read, or damaged)', path);
  for (const rec of parsed.records) {
    if (source !== 'btmp' && !LOGIN_TYPES.has(rec.type)) continue;
    yield {
      fact: 'login',
      data: {
        source,
        file: path,
        type: rec.type,
        user: rec.user,
        line: rec.line,
        host: rec.host,
        ...(rec.ip !== undefined && { ip: rec.ip }),
        pid: Math.max(0, rec.pid),
        time: new Date(rec.time).toISOString(),
      },
    };
  }
}

/** One pread per account: lastlog is sparse and indexed by UID (a UID of 10^9 would mean a 292 GB read). */
function* lastlog(ctx: CheckContext): Generator<Fact> {
  const path = '/var/log/lastlog';
  if (!ctx.fs.lstat(path)?.isFile()) return;
  for (const account of ctx.accounts().passwd) {
    const r = ctx.fs.readAt(path, account.uid * LASTLOG_SIZE, LASTLOG_SIZE);
    if (!r.ok) {
      ctx.error(r.reason, path);
      return;
    }
    const rec = parseLastlog(r.data);
    if (rec === undefined) continue;
    yield {
      fact: 'lastlog',
      data: {
        file: path,
        uid: account.uid,
        user: account.name,
        time: new Date(rec.time).toISOString(),
        line: rec.line,
        host: rec.host,
      },
    };
  }
}

async function clock(ctx: CheckContext): Promise<Fact> {
  const zone = timezone(ctx);
  const result = (synchronized: boolean | null, source: string, detail?: string): Fact => ({
    fact: 'time-sync',
    data: {
      synchronized,
      source,
      ...(zone !== undefined && { zone }),
      ...(detail !== undefined && { detail }),
    },
  });
  const run = async (name: string, args: string[]) => {
    const path = ctx.fs.root === '/' ? ctx.programs.find(name) : undefined;
    return path === undefined
      ? undefined
      : ctx.programs.run(path, args, { timeoutMs: 5_000, maxBytes: 64 * 1024 });
  };
  // timedatectl asks systemd-timedated over D-Bus; it fails where systemd is not PID 1
  const td = await run('timedatectl', ['show', '--property=NTPSynchronized', '--property=NTP']);
  const tdSync = td?.code === 0 ? /^NTPSynchronized=(yes|no)$/m.exec(td.stdout)?.[1] : undefined;
  if (tdSync !== undefined)
    return result(tdSync === 'yes', 'timedatectl', td!.stdout.trim().replace(/\n/g, ' '));
  // chronyc -c tracking: CSV whose 14th field is the leap status ("Not synchronised" when not)
  const chrony = await run('chronyc', ['-c', '-n', 'tracking']);
  const leap = chrony?.code === 0 ? chrony.stdout.trim().split(',')[13] : undefined;
  if (leap !== undefined) return result(leap !== 'Not synchronised', 'chronyc', `leap status ${leap}`);
  if (ctx.fs.lstat('/run/systemd/timesync/synchronized')) return result(true, 'systemd-timesyncd');
  return result(null, 'none', 'no time service answered (timedatectl, chronyc, systemd-timesyncd)');
}

/** /etc/timezone (Debian), else the zoneinfo name /etc/localtime links to, else TZ. */
function timezone(ctx: CheckContext): string | undefined {
  const file = ctx.fs.readText('/etc/timezone', 1024);
  if (file.ok && file.text!.trim() !== '') return file.text!.trim();
  const target = ctx.fs.readlink('/etc/localtime');
  const m = target !== undefined ? /zoneinfo\/(.+)$/.exec(target) : null;
  return m?.[1] ?? process.env.TZ;
}
