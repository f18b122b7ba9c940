import { createHash } from 'node:crypto';

/** One usable line of an authorized_keys file (sshd(8), AUTHORIZED_KEYS FILE FORMAT). */
export interface AuthorizedKey {
  readonly line: number;
  readonly type: string;
  /** `SHA256:` and the unpadded base64 of the key blob's SHA-256, as `ssh-keygen -lf` prints it */
  readonly fingerprint: string;
  readonly comment: string;
  /** the options as written, one per comma-separated item */
  readonly options: string[];
  readonly command?: string;
  readonly from?: string;
}

export interface AuthorizedKeysFile {
  readonly keys: AuthorizedKey[];
  readonly problems: string[];
}

/** Key types sshd accepts, certificates included (the blob's own type must match). */
const KEY_TYPE =
  /^(ssh-(rsa|dss|ed25519|xmss)|ecdsa-sha2-nistp(256|384|521)|sk-(ecdsa-sha2-nistp256|ssh-ed25519)@openssh\.com)(-cert-v0[01]@openssh\.com)?$/;

/**
 * Parses authorized_keys as sshd does: a line is `[options] keytype base64 [comment]`; when it does not
 * start with a key type, the options are skipped (white space inside double quotes, and `\"`, do not end
 * them) and the key must follow. Blank lines and comments are ignored; a line with no readable key is a
 * problem with its line number. The key blob is decoded, its embedded type checked against the written
 * one, and hashed for the fingerprint.
 */
export function parseAuthorizedKeys(text: string): AuthorizedKeysFile {
  const keys: AuthorizedKey[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '').trim();
    if (l === '' || l.startsWith('#')) return;
    const parsed = parseLine(l);
    if (typeof parsed === 'string') problems.push(`line ${i + 1}: ${parsed}`);
    else keys.push({ line: i + 1, ...parsed });
  });
  return { keys, problems };
}

function parseLine(l: string): Omit<AuthorizedKey, 'line'> | string {
  const first = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(l);
  if (first && KEY_TYPE.test(first[1]!)) return key(first[1]!, first[2]!, first[3] ?? '', []);
  const end = optionsEnd(l);
  if (end < 0) return 'unterminated quoted option';
  const options = splitOptions(l.slice(0, end));
  const rest = /^\s+(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(l.slice(end));
  if (!rest || !KEY_TYPE.test(rest[1]!)) return 'no key type after the options';
  return key(rest[1]!, rest[2]!, rest[3] ?? '', options);
}

function key(
  type: string,
  base64: string,
  comment: string,
  options: string[],
): Omit<AuthorizedKey, 'line'> | string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return 'key is not base64';
  const blob = Buffer.from(base64, 'base64');
  if (blob.length < 4) return 'key blob too short';
  const len = blob.readUInt32BE(0);
  if (len > blob.length - 4 || blob.subarray(4, 4 + len).toString('latin1') !== type)
    return `key blob is not a ${type} key`;
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  const value = (name: string): string | undefined => {
    const opt = options.find((o) => o.toLowerCase().startsWith(`${name}=`));
    return opt === undefined ? undefined : unquote(opt.slice(name.length + 1));
  };
  const command = value('command');
  const from = value('from');
  return {
    type,
    fingerprint,
    comment: comment.trim(),
    options,
    ...(command !== undefined && { command }),
    ...(from !== undefined && { from }),
  };
}

/** Index of the first white space outside double quotes (sshkey_advance_past_options). */
function optionsEnd(l: string): number {
  let quoted = false;
  for (let i = 0; i < l.length; i++) {
    const c = l[i]!;
    if (quoted && c === '\\' && l[i + 1] === '"') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) return i;
  }
  return quoted ? -1 : l.length;
}

function splitOptions(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted && c === '\\' && s[i + 1] === '"') {
      cur += '\\"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

const unquote = (v: string): string =>
  v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\"/g, '"') : v;
