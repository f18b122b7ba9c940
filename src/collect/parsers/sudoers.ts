/**
 * sudoers(5), as far as "who may run what" needs it: user specifications with their runas lists, tags
 * (NOPASSWD) and commands; the four alias kinds (expanded); `Defaults ... !authenticate`, which drops the
 * password for everything it applies to; and the include directives (`#include`, `#includedir`,
 * `@include`, `@includedir`), returned for the caller to follow. Comments, line continuations and the
 * escapes `\,` `\:` `\=` `\\` are honoured. A line the grammar does not allow is returned as a problem
 * with its line number; the rest of the file still counts.
 */
export interface SudoRule {
  readonly line: number;
  /** the user list as written, aliases expanded, negations kept (`!bob`) */
  readonly users: string[];
  readonly hosts: string[];
  /** `user[:group]` lists of the runas spec; empty means root */
  readonly runas: string[];
  readonly commands: string[];
  /** tags in force for any of the commands (NOPASSWD, SETENV, ...) */
  readonly tags: string[];
  /** some command runs without a password */
  readonly nopasswd: boolean;
}

export interface SudoersFile {
  readonly rules: SudoRule[];
  /** include directives in file order: a file, or a directory of files */
  readonly includes: { readonly line: number; readonly path: string; readonly dir: boolean }[];
  readonly problems: string[];
}

const TAGS = new Set([
  'NOPASSWD',
  'PASSWD',
  'NOEXEC',
  'EXEC',
  'SETENV',
  'NOSETENV',
  'LOG_INPUT',
  'NOLOG_INPUT',
  'LOG_OUTPUT',
  'NOLOG_OUTPUT',
  'MAIL',
  'NOMAIL',
  'FOLLOW',
  'NOFOLLOW',
  'INTERCEPT',
  'NOINTERCEPT',
]);
const ALIAS_KINDS = new Set(['User_Alias', 'Runas_Alias', 'Host_Alias', 'Cmnd_Alias', 'Cmd_Alias']);
const OPTION = /^(ROLE|TYPE|CWD|CHROOT|TIMEOUT|NOTBEFORE|NOTAFTER|APPARMOR_PROFILE|PRIVS|LIMITPRIVS)=/;

/** Logical lines: comments cut, continuations joined; each keeps the number of its first physical line. */
function logicalLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    let l = raw.replace(/\r$/, '');
    if (pending === '') start = i + 1;
    const include = /^\s*#include(dir)?\s/.test(l);
    if (!include) l = stripComment(l);
    if (l.endsWith('\\') && !l.endsWith('\\\\')) {
      pending += l.slice(0, -1) + ' ';
      return;
    }
    const whole = (pending + l).trim();
    pending = '';
    if (whole !== '') out.push({ line: start, text: whole });
  });
  if (pending.trim() !== '') out.push({ line: start, text: pending.trim() });
  return out;
}

/** `#` starts a comment unless it is escaped or a `#uid` (a `#` followed by a digit). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') {
      i++;
      continue;
    }
    if (line[i] === '#' && !/\d/.test(line[i + 1] ?? '')) return line.slice(0, i);
  }
  return line;
}

/** Splits on a separator character that is not escaped with a backslash. */
function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i]! + s[i + 1]!;
      i++;
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  return parts;
}

const unescapeValue = (s: string): string => s.replace(/\\([,:=\\])/g, '$1');
/** A comma list; white space inside an item (a continuation's tabs) is one space, as sudo splits it. */
const items = (s: string): string[] =>
  splitUnescaped(s, ',')
    .map((x) => unescapeValue(x.trim().replace(/\s+/g, ' ')))
    .filter((x) => x !== '');

export function parseSudoers(text: string): SudoersFile {
  const rules: SudoRule[] = [];
  const includes: SudoersFile['includes'] = [];
  const problems: string[] = [];
  const aliases = new Map<string, string[]>();
  for (const { line, text: l } of logicalLines(text)) {
    const inc = /^[#@]include(dir)?\s+(.+)$/.exec(l);
    if (inc) {
      includes.push({ line, path: inc[2]!.trim().replace(/^"(.*)"$/, '$1'), dir: inc[1] === 'dir' });
      continue;
    }
    const [keyword] = l.split(/\s+/, 1);
    if (ALIAS_KINDS.has(keyword!)) {
      for (const def of aliasDefinitions(l.slice(keyword!.length))) {
        const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(def);
        if (!m) problems.push(`line ${line}: unreadable alias definition`);
        else aliases.set(m[1]!, items(m[2]!));
      }
      continue;
    }
    if (/^Defaults([:@>!]|\s|$)/.test(l)) {
      const noAuth = defaultsWithoutPassword(l, aliases);
      if (noAuth) rules.push({ line, ...noAuth });
      continue;
    }
    const spec = userSpec(l, aliases);
    if (typeof spec === 'string') problems.push(`line ${line}: ${spec}`);
    else rules.push(...spec.map((r) => ({ line, ...r })));
  }
  return { rules, includes, problems };
}

/** Aliases replaced by their members, recursively (a cycle stops at the second visit). */
function expand(
  list: readonly string[],
  aliases: ReadonlyMap<string, string[]>,
  seen = new Set<string>(),
): string[] {
  return list.flatMap((item) => {
    const negated = item.startsWith('!');
    const name = negated ? item.slice(1).trim() : item;
    const members = aliases.get(name);
    if (members === undefined || seen.has(name)) return [item];
    const inner = expand(members, aliases, new Set([...seen, name]));
    return negated ? inner.map((m) => (m.startsWith('!') ? m.slice(1) : `!${m}`)) : inner;
  });
}

type Spec = Omit<SudoRule, 'line'>;

/** `User_List Host_List = [(runas)] [options] [TAG:]* cmnd, ... [: Host_List = ...]*` */
function userSpec(l: string, aliases: ReadonlyMap<string, string[]>): Spec[] | string {
  const eq = indexOfUnescaped(l, '=');
  if (eq < 0) return 'neither a user specification, an alias, Defaults nor an include';
  const head = l.slice(0, eq).trim();
  // the user list ends at the first white space not following a comma
  const m = /^(.+?(?:\s*,\s*.+?)*)\s+(\S.*)$/.exec(head.replace(/\s*,\s*/g, ','));
  if (!m) return 'a user specification needs a user list and a host list before "="';
  const users = expand(items(m[1]!), aliases);
  const specs: Spec[] = [];
  // `host = cmnds : host2 = cmnds2`: split on unescaped colons that begin a new "host =" part
  const groups = splitHostGroups(m[2]! + l.slice(eq));
  for (const g of groups) {
    const ge = indexOfUnescaped(g, '=');
    if (ge < 0) return 'a host list without "="';
    const hosts = expand(items(g.slice(0, ge)), aliases);
    const cmnds = parseCommands(g.slice(ge + 1), aliases);
    if (typeof cmnds === 'string') return cmnds;
    specs.push({ users, hosts, ...cmnds });
  }
  return specs;
}

function indexOfUnescaped(s: string, c: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === c) return i;
  }
  return -1;
}

/** Splits `H1 = a, b : H2 = c` into host groups; a colon inside a tag (`NOPASSWD:`) or runas does not split. */
function splitHostGroups(s: string): string[] {
  const parts = splitUnescaped(s, ':');
  const groups: string[] = [];
  let cur = '';
  for (const part of parts) {
    // a part that ends a tag name, or sits inside (runas:group), continues the current group
    const continues = cur !== '' && (TAGS.has(lastWord(cur)) || openParen(cur) || !/^\s*[^=()]+=/.test(part));
    if (cur === '' || !continues) {
      if (cur !== '') groups.push(cur);
      cur = part;
    } else cur += `:${part}`;
  }
  if (cur !== '') groups.push(cur);
  return groups;
}

/** `A = x, y : B = z`: a colon starts a new definition only before `NAME =` (not inside `sha224:…`). */
function aliasDefinitions(s: string): string[] {
  const defs: string[] = [];
  for (const part of splitUnescaped(s, ':')) {
    if (defs.length === 0 || /^\s*[A-Z][A-Z0-9_]*\s*=/.test(part)) defs.push(part);
    else defs[defs.length - 1] += `:${part}`;
  }
  return defs;
}

const lastWord = (s: string): string => /([A-Z_]+)\s*$/.exec(s)?.[1] ?? '';
const openParen = (s: string): boolean => s.lastIndexOf('(') > s.lastIndexOf(')');

/** `[(runas)] [OPTION=v] [TAG:]* cmnd, [(runas)] [TAG:]* cmnd, ...` with tags and runas carried forward. */
function parseCommands(
  s: string,
  aliases: ReadonlyMap<string, string[]>,
): Pick<Spec, 'runas' | 'commands' | 'tags' | 'nopasswd'> | string {
  const runas = new Set<string>();
  const tags = new Set<string>();
  const commands: string[] = [];
  let nopasswd = false;
  let current = new Set<string>();
  for (let item of splitCommandList(s)) {
    item = item.trim();
    const ra = /^\(([^)]*)\)\s*/.exec(item);
    if (ra) {
      runas.add(ra[1]!.trim());
      item = item.slice(ra[0].length);
    }
    for (;;) {
      const opt = /^([A-Z_]+=\S+)\s+/.exec(item);
      if (opt && OPTION.test(opt[1]!)) {
        item = item.slice(opt[0].length);
        continue;
      }
      const tag = /^([A-Z_]+)\s*:\s*/.exec(item);
      if (tag && TAGS.has(tag[1]!)) {
        const t = tag[1]!;
        // a tag replaces its opposite for this and the following commands
        current.delete(t.startsWith('NO') ? t.slice(2) : `NO${t}`);
        current.add(t);
        item = item.slice(tag[0].length);
        continue;
      }
      break;
    }
    if (item === '') return 'a command list with an empty command';
    const expanded = expand([unescapeValue(item.replace(/\s+/g, ' '))], aliases);
    commands.push(...expanded);
    current.forEach((t) => tags.add(t));
    if (current.has('NOPASSWD')) nopasswd = true;
    current = new Set(current);
  }
  return { runas: [...runas], commands, tags: [...tags], nopasswd };
}

/** Commas separate commands, except escaped ones and those inside a runas list `(a, b)`. */
function splitCommandList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === '(') {
      depth++;
      cur += c;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      cur += c;
    } else if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((x) => x.trim() !== '');
}

/**
 * `Defaults !authenticate`, `Defaults:alice !authenticate`, `Defaults>root !authenticate`: sudo stops
 * asking for passwords where it applies — as NOPASSWD on every command.
 */
function defaultsWithoutPassword(l: string, aliases: ReadonlyMap<string, string[]>): Spec | undefined {
  const m = /^Defaults([:@>!]\s*(\S+))?\s+(.*)$/.exec(l);
  if (!m) return undefined;
  const settings = items(m[3]!);
  if (!settings.some((s) => s.replace(/\s+/g, '') === '!authenticate')) return undefined;
  const scope = l[8];
  const bound = m[2] !== undefined ? expand(items(m[2]), aliases) : ['ALL'];
  return {
    users: scope === ':' ? bound : ['ALL'],
    hosts: scope === '@' ? bound : ['ALL'],
    runas: scope === '>' ? bound : [],
    commands: scope === '!' ? bound : ['ALL'],
    tags: ['!authenticate'],
    nopasswd: true,
  };
}
