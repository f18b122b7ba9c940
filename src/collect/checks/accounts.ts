import { dirname, posix } from 'node:path';
import type { Fact } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { epochDay, parseGshadow, parseShadow, passwdField, type ShadowEntry } from '../parsers/account-files';
import { parseSudoers } from '../parsers/sudoers';

/** How deep sudoers includes may nest before the rest is left unread (sudo itself stops at 128). */
const MAX_INCLUDE_DEPTH = 8;

/**
 * accounts: every passwd and group entry, group memberships (member lines and primary groups), shadow
 * status per account (set / locked / empty and the last change — the hash never leaves the parser),
 * gshadow admins, and sudoers with everything it includes, parsed into who may run what.
 */
export const accountsCheck: Check = {
  name: 'accounts',
  description:
    'passwd/group/gshadow entries, UID/GID 0 aliases, shadow status, sudoers rules (NOPASSWD flagged)',
  *run(ctx) {
    const index = ctx.accounts();
    index.problems.forEach((p) => ctx.error(p));
    const shadow = new Map<string, ShadowEntry>(
      readShadowish(ctx, '/etc/shadow', parseShadow).map((e) => [e.name, e]),
    );
    const gshadow = new Map(readShadowish(ctx, '/etc/gshadow', parseGshadow).map((e) => [e.name, e]));
    const supplementary = new Map<string, string[]>();
    for (const g of index.groups)
      for (const m of g.members) supplementary.set(m, [...(supplementary.get(m) ?? []), g.name]);
    for (const p of index.passwd) {
      const s = shadow.get(p.name);
      yield {
        fact: 'account',
        data: {
          name: p.name,
          uid: p.uid,
          gid: p.gid,
          gecos: p.gecos,
          home: p.home,
          shell: p.shell,
          password_field: passwdField(p.password),
          shadow: s
            ? {
                status: s.status,
                must_change: s.lastChange === 0,
                ...(s.lastChange !== undefined &&
                  s.lastChange > 0 && { last_change: epochDay(s.lastChange) }),
              }
            : null,
          groups: supplementary.get(p.name) ?? [],
        },
      } satisfies Fact;
    }
    for (const g of index.groups) {
      const gs = gshadow.get(g.name);
      yield {
        fact: 'group',
        data: {
          name: g.name,
          gid: g.gid,
          members: [...g.members],
          ...(gs && { admins: [...gs.admins], shadow_members: [...gs.members] }),
        },
      };
      for (const account of g.members)
        yield { fact: 'group-member', data: { group: g.name, gid: g.gid, account, primary: false } };
      for (const p of index.passwd.filter((a) => a.gid === g.gid))
        yield { fact: 'group-member', data: { group: g.name, gid: g.gid, account: p.name, primary: true } };
    }
    yield* sudoRules(ctx, '/etc/sudoers', 0, new Set());
  },
};

/** shadow and gshadow: unreadable without root, which the note says once. */
function readShadowish<T>(
  ctx: CheckContext,
  path: string,
  parse: (t: string) => { entries: T[]; problems: string[] },
): T[] {
  const r = ctx.fs.readText(path, ctx.options.maxFileBytes);
  if (!r.ok) {
    if (r.code === 'ENOENT') return [];
    if (r.code === 'EACCES' && !ctx.privileged)
      ctx.note(
        `${path} is readable by root only: no ${path === '/etc/shadow' ? 'password status' : 'group admins'} without it`,
      );
    else ctx.error(r.reason, path);
    return [];
  }
  const parsed = parse(r.text!);
  parsed.problems.forEach((p) => ctx.error(p, path));
  return parsed.entries;
}

function* sudoRules(ctx: CheckContext, path: string, depth: number, seen: Set<string>): Generator<Fact> {
  if (seen.has(path)) return;
  seen.add(path);
  const r = ctx.fs.readText(path, ctx.options.maxFileBytes);
  if (!r.ok) {
    if (r.code === 'EACCES' && !ctx.privileged)
      ctx.note(`${path} is readable by root only: its sudo rules are not in this run`);
    else if (r.code !== 'ENOENT' || depth > 0) ctx.error(r.reason, path);
    return;
  }
  const parsed = parseSudoers(r.text!);
  parsed.problems.forEach((p) => ctx.error(p, path));
  const index = ctx.accounts();
  for (const rule of parsed.rules) {
    yield {
      fact: 'sudo-rule',
      data: {
        file: path,
        line: rule.line,
        users: rule.users,
        accounts: accountsOf(
          rule.users,
          (g) => index.membersOf(g),
          (uid) => index.user(uid),
        ),
        hosts: rule.hosts,
        runas: rule.runas,
        commands: rule.commands,
        nopasswd: rule.nopasswd,
        tags: rule.tags,
      },
    };
  }
  if (depth >= MAX_INCLUDE_DEPTH) {
    if (parsed.includes.length > 0)
      ctx.error(`includes nested deeper than ${MAX_INCLUDE_DEPTH} not followed`, path);
    return;
  }
  for (const inc of parsed.includes) {
    const target = posix.isAbsolute(inc.path) ? inc.path : posix.join(dirname(path), inc.path);
    if (!inc.dir) {
      yield* sudoRules(ctx, target, depth + 1, seen);
      continue;
    }
    let names: string[];
    try {
      names = ctx.fs
        .readdir(target)
        .filter((d) => !d.isDirectory())
        .map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES' && !ctx.privileged)
        ctx.note(`${target} is readable by root only: its sudo rules are not in this run`);
      else if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        ctx.error(String((e as Error).message), target);
      continue;
    }
    // sudoers(5): files whose name ends in ~ or contains a dot are skipped; the rest in lexical order
    for (const name of names.filter((n) => !n.endsWith('~') && !n.includes('.')).sort())
      yield* sudoRules(ctx, `${target}/${name}`, depth + 1, seen);
  }
}

/** The accounts a user list names: plain names, %group members, #uid; negated entries and ALL excluded. */
export function accountsOf(
  users: readonly string[],
  members: (group: string) => string[],
  byUid: (uid: number) => string | undefined,
): string[] {
  const out = new Set<string>();
  for (const u of users) {
    if (u.startsWith('!') || u === 'ALL' || u.startsWith('+')) continue;
    if (u.startsWith('%:')) continue;
    if (u.startsWith('%#')) continue;
    if (u.startsWith('%')) members(u.slice(1)).forEach((m) => out.add(m));
    else if (/^#\d+$/.test(u)) {
      const name = byUid(Number(u.slice(1)));
      if (name !== undefined) out.add(name);
    } else out.add(u);
  }
  return [...out];
}
