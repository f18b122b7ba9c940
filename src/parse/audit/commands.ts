import type { WallClock } from '../../normalize/time';
import { basename } from '../parsers/event-base';

/**
 * Reading the command lines of the programs whose audit records leave out what they act on:
 * shadow-utils names the account only as `id=N` once it knows the number, and says "adding user to group"
 * without the group; `touch` sets a time that utimensat's record holds only as a pointer.
 */

/** Options that take an argument, per program (short and long forms, as in their --help). */
const WITH_ARGUMENT: Readonly<Record<string, ReadonlySet<string>>> = {
  useradd: new Set(
    '-b --base-dir -c --comment -d --home-dir -e --expiredate -f --inactive -g --gid -G --groups -k --skel -K --key -p --password -R --root -P --prefix -s --shell -u --uid -Z --selinux-user --btrfs-subvolume-home'.split(
      ' ',
    ),
  ),
  usermod: new Set(
    '-c --comment -d --home -e --expiredate -f --inactive -g --gid -G --groups -l --login -p --password -R --root -P --prefix -s --shell -u --uid -v --add-subuids -V --del-subuids -w --add-subgids -W --del-subgids -Z --selinux-user'.split(
      ' ',
    ),
  ),
  groupadd: new Set('-g --gid -K --key -p --password -R --root -P --prefix -U --users'.split(' ')),
  gpasswd: new Set('-a --add -d --delete -M --members -A --administrators -Q --root'.split(' ')),
  touch: new Set('-d --date -r --reference -t'.split(' ')),
};

/** A command line taken apart: options (last value wins) and the other words. */
export interface Command {
  readonly program: string;
  readonly options: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly operands: readonly string[];
}

/** getopt_long-style reading: `-u 0`, `-u0`, `--uid=0`, `--uid 0`, bundled flags `-oM`, `--` ends options. */
export function readCommand(args: readonly string[]): Command | undefined {
  if (args.length === 0) return undefined;
  const program = basename(args[0]!);
  const takes = WITH_ARGUMENT[program] ?? new Set<string>();
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (eq > 0) options.set(name, a.slice(eq + 1));
      else if (takes.has(name) && i + 1 < args.length) options.set(name, args[++i]!);
      else flags.add(name);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const name = `-${a[j]}`;
        if (!takes.has(name)) {
          flags.add(name);
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== '') options.set(name, rest);
        else if (i + 1 < args.length) options.set(name, args[++i]!);
        break;
      }
      continue;
    }
    operands.push(a);
  }
  return { program, options, flags, operands };
}

/** The value of an option given by either spelling. */
export const option = (command: Command, short: string, long: string): string | undefined =>
  command.options.get(long) ?? command.options.get(short);

/** The account a useradd/usermod/userdel/passwd/chage command acts on: its last operand. */
export const commandAccount = (command: Command): string | undefined => command.operands.at(-1);

/** `-G sudo,adm` → ['sudo', 'adm'] */
export const groupList = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(',').filter((g) => g !== '');

/** Converts a wall-clock time without offset to epoch ms, in the zone the caller knows for the host. */
export type WallToEpoch = (wall: WallClock) => number | undefined;

/**
 * The time `touch` sets, epoch ms: `-d`/`--date` (ISO-style dates with or without time and offset,
 * `@EPOCH`), `-t [[CC]YY]MMDDhhmm[.ss]`; undefined when the command sets none or says it in a way not
 * read here (`-d yesterday`). Times without an offset are the host's wall clock, which the audit trail does
 * not state: `toEpoch` reads them in the zone configured for the source (a timestomp is judged against a
 * day, so a wrong zone does not change the verdict).
 */
export function touchTime(command: Command, eventTime: number, toEpoch: WallToEpoch): number | undefined {
  const date = option(command, '-d', '--date');
  if (date !== undefined) return dateString(date.trim(), toEpoch);
  const stamp = command.options.get('-t');
  if (stamp !== undefined) return touchStamp(stamp, eventTime, toEpoch);
  return undefined;
}

/** `touch -r FILE`: the times are copied from another file (not "now"). */
export const copiesTimes = (command: Command): boolean => option(command, '-r', '--reference') !== undefined;

const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

function dateString(text: string, toEpoch: WallToEpoch): number | undefined {
  const epoch = /^@(-?\d{1,12})(?:\.\d+)?$/.exec(text);
  if (epoch) return Number(epoch[1]) * 1000;
  const m = ISO_LIKE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  const wall = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  if (zone === undefined) return toEpoch(wall);
  const utc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (/^(z|utc)$/i.test(zone)) return utc;
  const o = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return utc - (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) * 60_000;
}

function touchStamp(stamp: string, eventTime: number, toEpoch: WallToEpoch): number | undefined {
  const m = /^(\d{2}(?:\d{2})?)?(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{2}))?$/.exec(stamp);
  if (!m) return undefined;
  const [, yearPart, mo, d, h, mi, s] = m;
  let year = new Date(eventTime).getUTCFullYear();
  if (yearPart !== undefined)
    year =
      yearPart.length === 4 ? Number(yearPart) : Number(yearPart) + (Number(yearPart) < 69 ? 2000 : 1900);
  return toEpoch({
    year,
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s ?? 0),
  });
}
