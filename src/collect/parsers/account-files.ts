/**
 * /etc/passwd, /etc/shadow, /etc/group and /etc/gshadow (passwd(5), shadow(5), group(5), gshadow(5)):
 * colon-separated lines. Blank lines, comments and NIS compat lines (`+`, `-`) are not accounts; a line
 * with the wrong number of fields or a non-numeric id is reported with its line number, never guessed.
 */
export interface PasswdEntry {
  readonly line: number;
  readonly name: string;
  readonly password: string;
  readonly uid: number;
  readonly gid: number;
  readonly gecos: string;
  readonly home: string;
  readonly shell: string;
}

export interface ShadowEntry {
  readonly name: string;
  readonly status: 'set' | 'locked' | 'empty';
  /** days since 1970-01-01 of the last change; 0 forces a change at next login; undefined when empty */
  readonly lastChange?: number;
}

export interface GroupEntry {
  readonly line: number;
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

export interface GshadowEntry {
  readonly name: string;
  readonly admins: readonly string[];
  readonly members: readonly string[];
}

export interface Parsed<T> {
  readonly entries: T[];
  readonly problems: string[];
}

const ID = /^\d{1,10}$/;

function lines(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('#') || l.startsWith('+') || l.startsWith('-')) return;
    out.push({ line: i + 1, fields: l.split(':') });
  });
  return out;
}

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');

export function parsePasswd(text: string): Parsed<PasswdEntry> {
  const entries: PasswdEntry[] = [];
  const problems: string[] = [];
  for (const { line, fields } of lines(text)) {
    const [name, password, uid, gid, gecos, home, shell] = fields;
    if (fields.length !== 7 || !ID.test(uid!) || !ID.test(gid!) || name === '') {
      problems.push(`line ${line}: not a passwd entry (name:password:uid:gid:gecos:home:shell)`);
      continue;
    }
    entries.push({
      line,
      name: name!,
      password: password!,
      uid: Number(uid),
      gid: Number(gid),
      gecos: gecos!,
      home: home!,
      shell: shell!,
    });
  }
  return { entries, problems };
}

/** What the password field of /etc/passwd itself says: `x` defers to shadow. */
export function passwdField(password: string): 'shadow' | 'empty' | 'hash' | 'locked' {
  if (password === 'x') return 'shadow';
  if (password === '') return 'empty';
  if (password.startsWith('!') || password.startsWith('*')) return 'locked';
  return 'hash';
}

/** The hash itself never leaves this function: only whether one is set, locked or empty. */
export function parseShadow(text: string): Parsed<ShadowEntry> {
  const entries: ShadowEntry[] = [];
  const problems: string[] = [];
  for (const { line, fields } of lines(text)) {
    if (fields.length < 8 || fields[0] === '') {
      problems.push(`line ${line}: not a shadow entry`);
      continue;
    }
    const [name, hash, last] = fields;
    const status = hash === '' ? 'empty' : hash!.startsWith('!') || hash!.startsWith('*') ? 'locked' : 'set';
    entries.push({
      name: name!,
      status,
      ...(last !== undefined && ID.test(last) && { lastChange: Number(last) }),
    });
  }
  return { entries, problems };
}

export function parseGroup(text: string): Parsed<GroupEntry> {
  const entries: GroupEntry[] = [];
  const problems: string[] = [];
  for (const { line, fields } of lines(text)) {
    const [name, , gid, members] = fields;
    if (fields.length !== 4 || !ID.test(gid!) || name === '') {
      problems.push(`line ${line}: not a group entry (name:password:gid:members)`);
      continue;
    }
    entries.push({ line, name: name!, gid: Number(gid), members: list(members) });
  }
  return { entries, problems };
}

export function parseGshadow(text: string): Parsed<GshadowEntry> {
  const entries: GshadowEntry[] = [];
  const problems: string[] = [];
  for (const { line, fields } of lines(text)) {
    const [name, , admins, members] = fields;
    if (fields.length !== 4 || name === '') {
      problems.push(`line ${line}: not a gshadow entry (name:password:admins:members)`);
      continue;
    }
    entries.push({ name: name!, admins: list(admins), members: list(members) });
  }
  return { entries, problems };
}

/** Days since the epoch as YYYY-MM-DD. */
export const epochDay = (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10);
