/**
 * Where a sweep looks for what. /usr/local is the administrator's own tree (software installed from
 * tarballs, kept mtimes and all): it is a system path for world-writable files and SUID bits, not for
 * "owned by no package" or timestomp hints, as in system-binary-modified.
 */
export const BIN_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/libexec', '/usr/games'];
export const LIB_DIRS = [
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr/lib',
  '/usr/lib32',
  '/usr/lib64',
  '/usr/libx32',
];
export const SYSTEM_TREES = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr', '/etc', '/boot'];
export const STAGING = ['/tmp', '/var/tmp', '/dev/shm', '/dev'];
/** /dev file systems of regular files by design */
export const DEV_MEMORY = ['/dev/shm', '/dev/mqueue', '/dev/hugepages'];

export const under = (path: string, dir: string): boolean =>
  path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
export const underAny = (path: string, dirs: readonly string[]): boolean => dirs.some((d) => under(path, d));

/** Shared objects: `libc.so.6`, `pam_unix.so`, not `foo.sock`. */
export const isSharedObject = (name: string): boolean => /\.so(\.\d+)*$/.test(name);

/**
 * The binaries of a system: regular files right in a bin directory, and shared objects in a library
 * directory, its multiarch subdirectory (`/usr/lib/x86_64-linux-gnu`) or their PAM `security` directory —
 * the places a library hook or PAM backdoor goes, without the language trees below /usr/lib.
 */
export function isSystemBinary(path: string, name: string): boolean {
  const dir = path.slice(0, path.length - name.length - 1);
  if (BIN_DIRS.includes(dir)) return true;
  if (!isSharedObject(name)) return false;
  for (const lib of LIB_DIRS) {
    if (dir === lib) return true;
    if (!dir.startsWith(`${lib}/`)) continue;
    const rest = dir.slice(lib.length + 1).split('/');
    return rest.length === 1 || (rest.length === 2 && rest[1] === 'security');
  }
  return false;
}

/** A directory name meant to vanish in a listing: blanks, three or more dots, a dot-name with a blank. */
export const vanishingName = (name: string): boolean => /^(\s+|\.\.\.+|\..*\s.*)$/.test(name);
