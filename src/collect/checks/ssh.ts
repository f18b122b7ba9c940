import { posix } from 'node:path';
import type { Fact } from '../../domain/snapshot-record';
import type { Check, CheckContext } from '../check';
import { fileInfo } from '../host/host-fs';
import { parseAuthorizedKeys } from '../parsers/authorized-keys';
import {
  DEFAULT_AUTHORIZED_KEYS,
  expandKeysPath,
  parseSshdConfig,
  type SshdKeySettings,
} from '../parsers/sshd-config';

const SSHD_CONFIG = '/etc/ssh/sshd_config';
const MAX_INCLUDES = 64;

/**
 * ssh: every account's authorized_keys — the files sshd_config's AuthorizedKeysFile names (default
 * .ssh/authorized_keys and authorized_keys2), %h/%u/%U expanded — with each key's type, fingerprint,
 * comment and options (command=, from=), and the file's owner, mode and times. A file is read once even
 * when several accounts share the home (root and a UID 0 alias); it is not read when a symlink leads it
 * out of the home (or, for an absolute AuthorizedKeysFile, out of its directory).
 */
export const sshCheck: Check = {
  name: 'ssh',
  description:
    'authorized_keys of every account (AuthorizedKeysFile from sshd_config): key type, fingerprint, comment, options, file owner/mode/times',
  *run(ctx) {
    const settings = readSshdConfig(ctx);
    if (settings.authorizedKeysCommand !== undefined)
      ctx.note(
        `sshd also takes keys from AuthorizedKeysCommand ${settings.authorizedKeysCommand}, which a sweep does not run`,
      );
    if (settings.overriddenInMatch)
      ctx.note(
        'a Match block of sshd_config sets AuthorizedKeysFile for some users; only the global setting is swept',
      );
    const patterns = (settings.authorizedKeysFile ?? DEFAULT_AUTHORIZED_KEYS).filter(
      (p) => p.toLowerCase() !== 'none',
    );
    const accounts = ctx.accounts();
    const seen = new Set<string>();
    for (const user of accounts.passwd) {
      if (!user.home.startsWith('/')) continue;
      for (const pattern of patterns) {
        const path = posix.normalize(expandKeysPath(pattern, user));
        if (seen.has(path)) continue;
        seen.add(path);
        const scope = pattern.startsWith('/') ? posix.dirname(path) : user.home;
        yield* keysOf(ctx, user.name, path, scope);
      }
    }
  },
};

function* keysOf(ctx: CheckContext, account: string, path: string, scope: string): Generator<Fact> {
  const stat = ctx.fs.lstat(path);
  if (stat === undefined) return;
  if (!ctx.fs.staysWithin(path, scope)) {
    ctx.error(`a symlink leads it out of ${scope}: not read`, path);
    return;
  }
  const r = ctx.fs.readText(path, ctx.options.maxFileBytes);
  if (!r.ok) {
    if (r.code === 'EACCES' && !ctx.privileged)
      ctx.note("other accounts' authorized_keys are readable by root only");
    else ctx.error(r.reason, path);
    return;
  }
  const index = ctx.accounts();
  const file = fileInfo(path, r.stat, { owner: index.user(r.stat.uid), group: index.group(r.stat.gid) });
  const parsed = parseAuthorizedKeys(r.text!);
  parsed.problems.forEach((p) => ctx.error(p, path));
  for (const k of parsed.keys) {
    yield {
      fact: 'authorized-key',
      data: {
        account,
        file,
        line: k.line,
        key_type: k.type,
        fingerprint: k.fingerprint,
        comment: k.comment,
        options: k.options,
        ...(k.command !== undefined && { command: k.command }),
        ...(k.from !== undefined && { from: k.from }),
      },
    };
  }
}

/** sshd_config and the files it includes (a `*` in the last component lists the directory). */
function readSshdConfig(ctx: CheckContext): SshdKeySettings {
  const settings: SshdKeySettings = { includes: [], overriddenInMatch: false };
  const queue = [SSHD_CONFIG];
  const read = new Set<string>();
  while (queue.length > 0 && read.size < MAX_INCLUDES) {
    const path = queue.shift()!;
    if (read.has(path)) continue;
    read.add(path);
    const r = ctx.fs.readText(path, ctx.options.maxFileBytes);
    if (!r.ok) {
      if (r.code !== 'ENOENT') ctx.error(r.reason, path);
      continue;
    }
    const before = settings.includes.length;
    parseSshdConfig(r.text!, settings);
    for (const inc of settings.includes.slice(before)) queue.push(...expandInclude(ctx, inc));
  }
  return settings;
}

function expandInclude(ctx: CheckContext, pattern: string): string[] {
  const path = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
  const dir = posix.dirname(path);
  const base = posix.basename(path);
  if (!base.includes('*') && !base.includes('?')) return [path];
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    return ctx.fs
      .readdir(dir)
      .filter((d) => re.test(d.name))
      .map((d) => `${dir}/${d.name}`)
      .sort();
  } catch {
    return [];
  }
}
