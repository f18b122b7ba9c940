/**
 * The small line formats persistence lives in: inittab(5), hosts(5), crontab(5) (system tables with a
 * user column, user tables without), anacrontab(5), ld.so.preload (ld.so(8)) and systemd unit files'
 * Exec and timer lines (systemd.unit(5)). Pure functions over text; line numbers are 1-based.
 */
export interface InittabEntry {
  readonly line: number;
  readonly id: string;
  readonly runlevels: string;
  readonly action: string;
  readonly process: string;
}

export function parseInittab(text: string): { entries: InittabEntry[]; problems: string[] } {
  const entries: InittabEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '' || l.trimStart().startsWith('#')) return;
    const m = /^([^:]*):([^:]*):([^:]*):(.*)$/.exec(l);
    if (!m) problems.push(`line ${i + 1}: not id:runlevels:action:process`);
    else entries.push({ line: i + 1, id: m[1]!, runlevels: m[2]!, action: m[3]!, process: m[4]!.trim() });
  });
  return { entries, problems };
}

export interface HostsEntry {
  readonly line: number;
  readonly ip: string;
  readonly names: string[];
}

export function parseHosts(text: string): HostsEntry[] {
  const out: HostsEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const [fields = ''] = raw.split('#', 1);
    const words = fields
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length >= 2) out.push({ line: i + 1, ip: words[0]!, names: words.slice(1) });
  });
  return out;
}

export interface CronEntry {
  readonly line: number;
  readonly schedule: string;
  readonly user?: string;
  readonly command: string;
}

const NICKNAME = /^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$/;
const ENV_LINE = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/**
 * A crontab: environment lines (`NAME=value`) are skipped; an entry is five time fields or an @nickname,
 * then (in a system table) the user, then the command. A line that fits neither is a problem.
 */
export function parseCrontab(text: string, system: boolean): { entries: CronEntry[]; problems: string[] } {
  const entries: CronEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '').trim();
    if (l === '' || l.startsWith('#') || ENV_LINE.test(l)) return;
    const words = l.split(/\s+/);
    const timeFields = NICKNAME.test(words[0]!) ? 1 : 5;
    const need = timeFields + (system ? 2 : 1);
    if (
      words.length < need ||
      (timeFields === 5 && !words.slice(0, 5).every((w) => /^[\d*/,\-A-Za-z]+$/.test(w)))
    ) {
      problems.push(`line ${i + 1}: not a crontab entry`);
      return;
    }
    // the command is the rest of the line as written, inner spacing kept
    let rest = l;
    for (let k = 0; k < need - 1; k++) rest = rest.replace(/^\S+\s+/, '');
    entries.push({
      line: i + 1,
      schedule: words.slice(0, timeFields).join(' '),
      ...(system && { user: words[timeFields]! }),
      command: rest,
    });
  });
  return { entries, problems };
}

/** anacrontab: `period delay job-identifier command`, environment lines skipped. */
export function parseAnacrontab(text: string): CronEntry[] {
  const out: CronEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#') || ENV_LINE.test(l)) return;
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(.+)$/.exec(l);
    if (m) out.push({ line: i + 1, schedule: `${m[1]} ${m[2]} ${m[3]}`, user: 'root', command: m[4]! });
  });
  return out;
}

/** ld.so.preload: libraries separated by white space or colons, comments after `#`. */
export function parseLdPreload(text: string): { line: number; library: string }[] {
  const out: { line: number; library: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const [body = ''] = raw.split('#', 1);
    for (const lib of body.split(/[\s:]+/)) if (lib !== '') out.push({ line: i + 1, library: lib });
  });
  return out;
}

/** Exec*= lines and timer schedules of a unit or drop-in file. */
export function parseUnit(text: string): { exec: string[]; schedule: string[] } {
  const exec: string[] = [];
  const schedule: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const l = (pending + raw.replace(/\r$/, '')).trim();
    if (l.endsWith('\\')) {
      pending = l.slice(0, -1) + ' ';
      continue;
    }
    pending = '';
    if (l.startsWith('#') || l.startsWith(';')) continue;
    const m = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(l);
    if (!m || m[2] === '') continue;
    if (/^Exec[A-Za-z]+$/.test(m[1]!)) exec.push(`${m[1]}=${m[2]}`);
    else if (/^On(Calendar|BootSec|StartupSec|ActiveSec|UnitActiveSec|UnitInactiveSec)$/.test(m[1]!))
      schedule.push(`${m[1]}=${m[2]}`);
  }
  return { exec, schedule };
}
