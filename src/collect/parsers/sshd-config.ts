/**
 * The part of sshd_config(5) that says where keys live: AuthorizedKeysFile (and whether an
 * AuthorizedKeysCommand hands keys out from elsewhere), Include directives to follow, and whether Match
 * blocks may override either for some users. Keywords are case-insensitive; the first value obtained
 * wins, as in sshd; settings inside Match blocks do not apply to everyone and are only reported.
 */
export interface SshdKeySettings {
  /** undefined: not set (sshd's default applies) */
  authorizedKeysFile?: string[];
  authorizedKeysCommand?: string;
  includes: string[];
  /** a Match block sets one of them */
  overriddenInMatch: boolean;
}

export const DEFAULT_AUTHORIZED_KEYS = ['.ssh/authorized_keys', '.ssh/authorized_keys2'];

export function parseSshdConfig(
  text: string,
  into: SshdKeySettings = { includes: [], overriddenInMatch: false },
): SshdKeySettings {
  let inMatch = false;
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\r$/, '').trim();
    if (l === '' || l.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(l);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (keyword === 'match') {
      inMatch = true;
      continue;
    }
    if (keyword === 'include') {
      into.includes.push(...words(value));
      continue;
    }
    if (keyword !== 'authorizedkeysfile' && keyword !== 'authorizedkeyscommand') continue;
    if (inMatch) {
      into.overriddenInMatch = true;
      continue;
    }
    if (keyword === 'authorizedkeysfile' && into.authorizedKeysFile === undefined)
      into.authorizedKeysFile = words(value);
    if (
      keyword === 'authorizedkeyscommand' &&
      into.authorizedKeysCommand === undefined &&
      value.toLowerCase() !== 'none'
    )
      into.authorizedKeysCommand = value;
  }
  return into;
}

/** White-space separated words; double quotes group (sshd's argv_split). */
function words(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** %h home, %u user, %U uid, %% percent; a relative result is relative to the home directory. */
export function expandKeysPath(pattern: string, user: { name: string; uid: number; home: string }): string {
  const expanded = pattern.replace(/%([%huU])/g, (_, t: string) =>
    t === '%' ? '%' : t === 'h' ? user.home : t === 'u' ? user.name : String(user.uid),
  );
  if (expanded.startsWith('/')) return expanded;
  return `${user.home.replace(/\/+$/, '')}/${expanded}`;
}
