/** One line of /proc/PID/mountinfo (proc(5)). */
export interface Mount {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly source: string;
}

/** mountinfo escapes space, tab, newline and backslash in paths as three octal digits (`\040`). */
const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`: the mount point is
 * field 5; after the optional fields and the `-` separator come the file system type and the source.
 * Lines that do not have that shape are skipped.
 */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    if (fields.length < 10 || dash < 0 || dash + 2 >= fields.length) continue;
    mounts.push({
      mountPoint: unescape(fields[4]!),
      fsType: fields[dash + 1]!,
      source: unescape(fields[dash + 2]!),
    });
  }
  return mounts;
}

/** Kernel and virtual file systems: nothing on them is evidence a file walk should read. */
const PSEUDO = new Set([
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'devpts',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'efivarfs',
  'selinuxfs',
  'rpc_pipefs',
  'nsfs',
  'nfsd',
]);

/** File systems on another machine: a walk there is slow, can hang, and sweeps someone else's files. */
const NETWORK = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'ncpfs',
  'afs',
  'ceph',
  'glusterfs',
  'lustre',
  'gpfs',
  '9p',
  'davfs',
  'coda',
  'ocfs2',
  'gfs2',
]);

/** Why a walk must not enter a mount, or undefined when it may. FUSE file systems are user processes. */
export function excludedMount(fsType: string): 'pseudo' | 'network' | 'fuse' | undefined {
  if (PSEUDO.has(fsType)) return 'pseudo';
  if (NETWORK.has(fsType)) return 'network';
  if (fsType === 'fuse' || fsType === 'fuseblk' || fsType.startsWith('fuse.')) return 'fuse';
  return undefined;
}
