import { parseGroup, parsePasswd, type GroupEntry, type PasswdEntry } from '../parsers/account-files';
import type { HostFs } from './host-fs';

/** passwd and group of the host, read once per run: names for UIDs/GIDs, homes, group members. */
export class AccountIndex {
  private readonly byUid = new Map<number, PasswdEntry>();
  private readonly groupByGid = new Map<number, GroupEntry>();

  constructor(
    readonly passwd: readonly PasswdEntry[],
    readonly groups: readonly GroupEntry[],
    /** what could not be read or understood */
    readonly problems: readonly string[],
  ) {
    // the first line wins, as getpwuid(3) does
    for (const p of passwd) if (!this.byUid.has(p.uid)) this.byUid.set(p.uid, p);
    for (const g of groups) if (!this.groupByGid.has(g.gid)) this.groupByGid.set(g.gid, g);
  }

  static read(fs: HostFs, maxBytes: number): AccountIndex {
    const problems: string[] = [];
    const load = <T>(path: string, parse: (t: string) => { entries: T[]; problems: string[] }): T[] => {
      const r = fs.readText(path, maxBytes);
      if (!r.ok) {
        problems.push(`${path}: ${r.reason}`);
        return [];
      }
      const parsed = parse(r.text!);
      problems.push(...parsed.problems.map((p) => `${path} ${p}`));
      return parsed.entries;
    };
    return new AccountIndex(load('/etc/passwd', parsePasswd), load('/etc/group', parseGroup), problems);
  }

  user(uid: number): string | undefined {
    return this.byUid.get(uid)?.name;
  }

  group(gid: number): string | undefined {
    return this.groupByGid.get(gid)?.name;
  }

  /** Members of a group by name: its member list and the accounts whose primary group it is. */
  membersOf(name: string): string[] {
    const group = this.groups.find((g) => g.name === name);
    if (group === undefined) return [];
    const primary = this.passwd.filter((p) => p.gid === group.gid).map((p) => p.name);
    return [...new Set([...group.members, ...primary])];
  }
}
