/**
 * File modes as the FIM tools write them, normalised to docs/events.md: `file.mode` is a four-digit
 * octal string including the special bits (`-rwsr-xr-x` -> "4755", `rw-r--r--` -> "0644",
 * st_mode `100644` -> "0644"), with setuid/setgid as booleans beside it.
 */
export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket';

export interface FileMode {
  /** four octal digits, special bits first */
  readonly mode: string;
  readonly setuid: boolean;
  readonly setgid: boolean;
  /** when the notation carries the type (ls-style first character, st_mode type bits) */
  readonly type?: FileType;
}

const TYPE_BY_CHAR: Readonly<Record<string, FileType>> = {
  '-': 'file',
  f: 'file',
  d: 'dir',
  l: 'symlink',
  c: 'char',
  b: 'block',
  p: 'fifo',
  s: 'socket',
};

/** file.type from the first character of an AIDE summary or an `ls -l` mode string. */
export const fileTypeFromChar = (c: string): FileType | undefined => TYPE_BY_CHAR[c];

const TYPE_BY_BITS: ReadonlyMap<number, FileType> = new Map([
  [0o100000, 'file'],
  [0o040000, 'dir'],
  [0o120000, 'symlink'],
  [0o020000, 'char'],
  [0o060000, 'block'],
  [0o010000, 'fifo'],
  [0o140000, 'socket'],
]);

const SYMBOLIC = /^([-fdlcbps])?([r-])([w-])([xsS-])([r-])([w-])([xsS-])([r-])([w-])([xtT-])$/;

/** `-rwsr-xr-x`, `rwxr-xr-x` (Wazuh), `drwxrwxrwt`; undefined for anything else. */
export function symbolicMode(text: string): FileMode | undefined {
  const m = SYMBOLIC.exec(text.trim());
  if (!m) return undefined;
  const [, typeChar, ur, uw, ux, gr, gw, gx, or, ow, ox] = m as unknown as string[];
  const bit = (c: string | undefined, v: number): number => (c !== undefined && c !== '-' ? v : 0);
  const exec = (c: string | undefined, v: number): number => (c === 'x' || c === 's' || c === 't' ? v : 0);
  const special = (c: string | undefined, letter: string, v: number): number =>
    c === letter || c === letter.toUpperCase() ? v : 0;
  const perm =
    bit(ur, 0o400) |
    bit(uw, 0o200) |
    exec(ux, 0o100) |
    bit(gr, 0o040) |
    bit(gw, 0o020) |
    exec(gx, 0o010) |
    bit(or, 0o004) |
    bit(ow, 0o002) |
    exec(ox, 0o001);
  const extra = special(ux, 's', 0o4000) | special(gx, 's', 0o2000) | special(ox, 't', 0o1000);
  return withBits(perm | extra, typeChar !== undefined ? fileTypeFromChar(typeChar) : undefined);
}

/** `0644`, `644`, `4755`, or a full st_mode such as `100644`; undefined for anything else. */
export function octalMode(text: string): FileMode | undefined {
  const t = text.trim();
  if (!/^[0-7]{3,7}$/.test(t)) return undefined;
  const value = parseInt(t, 8);
  const typeBits = value & 0o170000;
  if (typeBits !== 0 && !TYPE_BY_BITS.has(typeBits)) return undefined;
  return withBits(value & 0o7777, TYPE_BY_BITS.get(typeBits));
}

/** Either notation. */
export const parseFileMode = (text: string): FileMode | undefined => symbolicMode(text) ?? octalMode(text);

/** Auditbeat writes the permission bits and reports setuid/setgid as separate booleans. */
export function withSpecialBits(mode: FileMode, setuid: boolean, setgid: boolean): FileMode {
  const value = parseInt(mode.mode, 8) | (setuid ? 0o4000 : 0) | (setgid ? 0o2000 : 0);
  return withBits(value, mode.type);
}

function withBits(value: number, type: FileType | undefined): FileMode {
  const mode = {
    mode: value.toString(8).padStart(4, '0'),
    setuid: (value & 0o4000) !== 0,
    setgid: (value & 0o2000) !== 0,
  };
  return type !== undefined ? { ...mode, type } : mode;
}
