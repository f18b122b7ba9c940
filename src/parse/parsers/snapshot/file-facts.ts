import type { FieldValue } from '../../../domain/event';
import type { FactData, FileInfo } from '../../../domain/snapshot-record';
import { pathFields } from '../event-base';
import type { FactEvent, FactMapper } from './fact-event';
import { keyOf } from './fact-event';
import { fileFields } from './file-fields';

/**
 * Facts about files and what they hold join the file_integrity dataset as inventory (event.type `info`,
 * never `creation`/`change`: a file the collector lists was not seen changing), with the file.* fields
 * FIM sources give, so the file rules (sudoers-change, inittab-change, suid-sgid-creation, ...) can judge
 * them beside AIDE's and Auditbeat's events in a selection of their own.
 */
function inventory(
  file: FileInfo | string,
  runAt: string,
  extra: Record<string, FieldValue>,
): FactEvent['fields'] {
  return {
    'event.category': ['file'],
    'event.type': ['info'],
    ...(typeof file === 'string' ? pathFields(file) : fileFields(file, runAt)),
    ...extra,
  };
}

export const sudoRule: FactMapper<'sudo-rule'> = (r, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('sudo-rule', r.file, r.users.join(','), r.runas.join(','), r.commands.join(','), r.nopasswd),
  fields: inventory(r.file, runAt, {
    'related.user': r.accounts,
    'tuxwatch.sudo.line': r.line,
    'tuxwatch.sudo.users': r.users,
    'tuxwatch.sudo.accounts': r.accounts,
    'tuxwatch.sudo.hosts': r.hosts,
    'tuxwatch.sudo.runas': r.runas,
    'tuxwatch.sudo.commands': r.commands,
    'tuxwatch.sudo.nopasswd': r.nopasswd,
    'tuxwatch.sudo.tags': r.tags,
  }),
});

/**
 * One key of an authorized_keys file. The account is in tuxwatch.ssh.account, not user.name: FIM sources
 * report the file without an account, and the alert folder should see one finding per file either way.
 */
export const authorizedKey: FactMapper<'authorized-key'> = (k, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('authorized-key', k.account, k.fingerprint),
  fields: inventory(k.file, runAt, {
    'tuxwatch.ssh.account': k.account,
    'tuxwatch.ssh.key.line': k.line,
    'tuxwatch.ssh.key.type': k.key_type,
    'tuxwatch.ssh.key.fingerprint': k.fingerprint,
    'tuxwatch.ssh.key.comment': k.comment,
    'tuxwatch.ssh.key.options': k.options,
    ...(k.command !== undefined && { 'tuxwatch.ssh.key.command': k.command }),
    ...(k.from !== undefined && { 'tuxwatch.ssh.key.from': k.from }),
  }),
});

export const inittabEntry: FactMapper<'inittab-entry'> = (e, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('inittab-entry', e.id, e.action, e.process),
  fields: inventory(e.file, runAt, {
    'tuxwatch.persistence.kind': 'inittab',
    'tuxwatch.persistence.line': e.line,
    'tuxwatch.inittab.id': e.id,
    'tuxwatch.inittab.runlevels': e.runlevels,
    'tuxwatch.inittab.action': e.action,
    'tuxwatch.inittab.process': e.process,
  }),
});

/** Names every stock /etc/hosts has (Debian, RHEL, SUSE, macOS-style broadcasthost). */
const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'localhost4',
  'localhost4.localdomain4',
  'localhost6',
  'localhost6.localdomain6',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-localnet',
  'ip6-mcastprefix',
  'ip6-allnodes',
  'ip6-allrouters',
  'ip6-allhosts',
  'ipv6-localhost',
  'ipv6-loopback',
  'broadcasthost',
]);

/**
 * One address line of a hosts file. `tuxwatch.hosts.self_only` says the line names nothing but loopback
 * names and the host itself (its name, first label, or a name under it): the lines every install has.
 */
export const hostsEntry: FactMapper<'hosts-entry'> = (e, runAt, host) => {
  const self = host.toLowerCase();
  const short = self.split('.')[0]!;
  const selfOnly = e.names.every((n) => {
    const name = n.toLowerCase();
    return LOOPBACK_NAMES.has(name) || name === self || name === short || name.startsWith(`${short}.`);
  });
  return {
    dataset: 'file_integrity',
    key: keyOf('hosts-entry', e.ip, e.names.join(' ')),
    fields: inventory(e.file, runAt, {
      'tuxwatch.persistence.kind': 'hosts',
      'tuxwatch.persistence.line': e.line,
      'tuxwatch.hosts.ip': e.ip,
      'tuxwatch.hosts.names': e.names,
      'tuxwatch.hosts.self_only': selfOnly,
    }),
  };
};

/** The mapper of the facts whose data is only the file. */
type FileFactMapper = (data: { readonly file: FileInfo }, runAt: string) => FactEvent;

/** A persistence entry that runs a command: rc.local lines, cron entries, systemd units. */
function entry(
  kind: string,
  file: FileInfo,
  runAt: string,
  key: string,
  extra: Record<string, FieldValue>,
): FactEvent {
  return {
    dataset: 'file_integrity',
    key: keyOf(kind, key),
    fields: inventory(file, runAt, { 'tuxwatch.persistence.kind': kind, ...extra }),
  };
}

export const rcLocal: FactMapper<'rc-local'> = (e, runAt) =>
  entry('rc-local', e.file, runAt, e.command, {
    'tuxwatch.persistence.line': e.line,
    'tuxwatch.persistence.command': e.command,
  });

export const systemdUnit: FactMapper<'systemd-unit'> = (u, runAt) =>
  entry('systemd-unit', u.file, runAt, keyOf(u.file.path, u.file.sha256 ?? u.file.mtime), {
    'tuxwatch.systemd.unit': u.unit,
    'tuxwatch.systemd.exec': u.exec,
    'tuxwatch.systemd.schedule': u.schedule,
    ...(u.exec.length > 0 && { 'tuxwatch.persistence.command': u.exec[0]! }),
  });

export const cronEntry: FactMapper<'cron-entry'> = (e, runAt) =>
  entry('cron-entry', e.file, runAt, keyOf(e.file.path, e.user, e.schedule, e.command), {
    'tuxwatch.persistence.line': e.line,
    'tuxwatch.persistence.command': e.command,
    'tuxwatch.cron.user': e.user,
    'tuxwatch.cron.schedule': e.schedule,
  });

/** A file whose whole content is the entry (a cron.daily script, a shell profile): new content, new entry. */
const wholeFile =
  (kind: string): FileFactMapper =>
  (f, runAt) =>
    entry(kind, f.file, runAt, keyOf(f.file.path, f.file.sha256 ?? f.file.mtime), {});

export const cronScript = wholeFile('cron-script');

export const shellProfile: FactMapper<'shell-profile'> = (f, runAt) => {
  const e = wholeFile('shell-profile')(f, runAt);
  return { ...e, fields: { ...e.fields, 'tuxwatch.file.skeleton_copy': f.skeleton_copy } };
};

export const ldPreload: FactMapper<'ld-preload'> = (e, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('ld-preload', e.library),
  fields: inventory(e.file, runAt, {
    'tuxwatch.persistence.kind': 'ld-preload',
    'tuxwatch.persistence.line': e.line,
    'tuxwatch.persistence.library': e.library,
  }),
});

export const suidFile: FactMapper<'suid-file'> = (s, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('suid-file', s.file.path, s.file.mode),
  fields: inventory(s.file, runAt, { 'tuxwatch.file.shell_copy': s.shell_copy }),
});

/** File facts whose reason is the fact's name; `timestomp-hint` also states the verdict the rules read. */
const found =
  (fact: string, keyed: boolean): FileFactMapper =>
  (f, runAt) => ({
    dataset: 'file_integrity',
    ...(keyed && { key: keyOf(fact, f.file.path) }),
    fields: inventory(f.file, runAt, fact === 'timestomp-hint' ? { 'tuxwatch.file.timestomped': true } : {}),
  });

export const worldWritable = found('world-writable', true);
export const hiddenDirectory = found('hidden-directory', true);
export const devFile = found('dev-file', true);
export const recentBinary = found('recent-binary', false);
export const timestompHint = found('timestomp-hint', true);
export const unownedBinary = found('unowned-binary', true);

/** One file `dpkg --verify` or `rpm -Va` reported, with the checks it failed. */
export const packageVerify: FactMapper<'package-verify'> = (v: FactData<'package-verify'>, runAt) => ({
  dataset: 'file_integrity',
  key: keyOf('package-verify', v.path, v.missing, [...v.failed].sort().join(',')),
  fields: {
    'event.category': ['file'],
    'event.type': ['info'],
    ...(v.current ? fileFields(v.current, runAt) : pathFields(v.path)),
    'tuxwatch.package.manager': v.manager,
    ...(v.package !== undefined && { 'tuxwatch.package.name': v.package }),
    'tuxwatch.package.conffile': v.conffile,
    'tuxwatch.package.missing': v.missing,
    'tuxwatch.package.failed': v.failed,
    ...(v.error !== undefined && { 'tuxwatch.package.error': v.error }),
  },
});
