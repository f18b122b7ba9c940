/** One `name=value` of an audit record, with the value exactly as written (quotes and hex included). */
export interface AuditField {
  readonly name: string;
  readonly raw: string;
}

/**
 * Splits audit record text into its fields, in order: `name=value`, `name="quoted"`, `msg='…'` (user-space
 * records), `NAME={ … }` (ENRICHED socket addresses). Words without `=` (an AVC's `avc:  denied  { read }`)
 * are skipped, as auparse does. shadow-utils writes `op=` values with spaces (`op=adding user to group
 * acct=…`), so an `op` value runs on to the next word that is a field.
 */
export function splitFields(text: string): AuditField[] {
  const fields: AuditField[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text[i] !== '=' && !isSpace(text.charCodeAt(i))) i++;
    if (i >= n || text[i] !== '=' || i === start) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      continue;
    }
    const name = text.slice(start, i);
    i++;
    const valueStart = i;
    const open = text[i];
    const close = open === '"' ? '"' : open === "'" ? "'" : open === '{' ? '}' : undefined;
    if (close !== undefined) {
      const end = text.indexOf(close, i + 1);
      i = end < 0 ? n : end + 1;
    } else {
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      if (name === 'op') i = extendOp(text, i);
    }
    fields.push({ name, raw: text.slice(valueStart, i) });
  }
  return fields;
}

/** Past the words after an `op=` value that are not fields themselves. */
function extendOp(text: string, from: number): number {
  let end = from;
  let i = from;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const wordStart = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    const word = text.slice(wordStart, i);
    if (word === '' || word.includes('=')) return end;
    end = i;
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * A field's value as the program wrote it: quotes removed, and for fields the kernel escapes (paths,
 * names, arguments, proctitle) an unquoted hex string decoded. `(null)`, `(none)` and `?` stay as written.
 */
export function decodeValue(raw: string, escaped: boolean): string {
  const first = raw[0];
  if ((first === '"' || first === "'") && raw.length >= 2 && raw.endsWith(first)) return raw.slice(1, -1);
  if (escaped && HEX.test(raw)) return hexText(raw);
  return raw;
}

/** Hex bytes as text (UTF-8, invalid sequences replaced). */
export function hexText(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** Fields the kernel and libaudit write escaped (auparse's AUPARSE_TYPE_ESCAPED* fields, typetab.h). */
const ESCAPED = new Set([
  'path',
  'comm',
  'exe',
  'file',
  'name',
  'watch',
  'cwd',
  'cmd',
  'acct',
  'dir',
  'key',
  'vm',
  'old-chardev',
  'new-chardev',
  'old-disk',
  'new-disk',
  'old-fs',
  'new-fs',
  'old-net',
  'new-net',
  'device',
  'cgroup',
  'ocomm',
  'proctitle',
  'grp',
  'new_group',
  'invalid_context',
  'sw',
  'root_dir',
  'old-rng',
  'new-rng',
  'data',
  'apparmor',
  'operation',
  'denied_mask',
  'info',
  'profile',
  'requested_mask',
]);

const EXECVE_ARGUMENT = /^a\d+(?:\[\d+\])?$/;

/** Whether a field of a record type is written escaped (EXECVE's arguments are; SYSCALL's a0–a3 are numbers). */
export function isEscapedField(type: string, name: string): boolean {
  if (type === 'EXECVE') return EXECVE_ARGUMENT.test(name);
  if (type === 'USER_TTY' && name === 'msg') return true;
  return ESCAPED.has(name);
}
