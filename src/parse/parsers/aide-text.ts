import type { JsonObject } from '../json-record';
import { firstLine } from '../text-checks';

/**
 * AIDE's plain-text report (`report_format=plain`, the default) read into the shape of the JSON report,
 * so one builder serves both. Entry lines are `<summary>: <path>`; the detailed section has one block per
 * entry (`File: /etc/hosts`, `Directory: ...`) with fixed columns: the value starts at column 13, a
 * change is `old (32 wide) | new`, an added entry leaves the old side blank, a removed one has no new
 * side, and long values (hashes) wrap onto lines indented to column 13.
 */
export interface AideTextReport {
  readonly report: JsonObject;
  /** the summary line and the detail block of each path, as written */
  readonly originals: ReadonlyMap<string, string>;
}

const SECTIONS: Readonly<Record<string, 'added' | 'removed' | 'changed'>> = {
  'Added entries:': 'added',
  'Removed entries:': 'removed',
  'Changed entries:': 'changed',
};
const RULE = /^-{20,}$/;
const START = /^Start timestamp: (.+?) \(AIDE ([^)]+)\)\s*$/;
const BLOCK =
  /^(?:File|Directory|Link|Character device|Block device|FIFO|Socket|Door|Port|Unknown type): (\/.*)$/;
const ATTRIBUTE = /^ ([A-Za-z0-9]+)\s*: /;
const VALUE_COLUMN = 13;
const OLD_WIDTH = 32;

/** AIDE's attribute labels -> the detail keys of its JSON report. */
const KEYS: Readonly<Record<string, string>> = {
  Size: 'size',
  Bcount: 'bcount',
  Perm: 'perm',
  Uid: 'uid',
  Gid: 'gid',
  Atime: 'access_time',
  Mtime: 'modify_time',
  Ctime: 'change_time',
  Inode: 'inode',
  Linkcount: 'link_count',
  Lname: 'linkname',
};
const NUMERIC = new Set(['size', 'bcount', 'uid', 'gid', 'inode', 'link_count']);

export const looksLikeAideText = (text: string): boolean => {
  const first = text.trimStart();
  // every line of every other format is asked: the literal start settles them before the pattern's call
  return first.startsWith(START_TEXT) && START.test(firstLine(first));
};

const START_TEXT = 'Start timestamp: ';

export function readAideText(text: string): AideTextReport | string {
  const lines = text.split(/\r?\n/);
  const start = START.exec(lines.find((l) => l.trim() !== '')?.trim() ?? '');
  if (!start) return 'not an AIDE plain-text report (no "Start timestamp: ... (AIDE x)" line)';
  const report: Record<string, unknown> = { start_time: start[1], aide_version: start[2] };
  const entries: Record<string, Record<string, string>> = { added: {}, removed: {}, changed: {} };
  const sectionOf = new Map<string, 'added' | 'removed' | 'changed'>();
  const originals = new Map<string, string[]>();
  const details: Record<string, Record<string, { old?: string; new?: string }>> = {};
  let section: string | undefined;
  let block: { path: string; last?: string } | undefined;

  for (const line of lines) {
    if (RULE.test(line) || line.trim() === '') continue;
    if (line.startsWith('Detailed information about changes:')) {
      section = 'details';
      continue;
    }
    if (line.startsWith('The attributes of the ') || line.startsWith('End timestamp:')) {
      section = undefined;
      continue;
    }
    const heading = SECTIONS[line.trim()];
    if (heading) {
      section = heading;
      continue;
    }
    if (section === 'added' || section === 'removed' || section === 'changed') {
      const cut = line.indexOf(': /');
      if (cut <= 0) return `unreadable ${section} entry: ${JSON.stringify(line.slice(0, 80))}`;
      const path = line.slice(cut + 2);
      entries[section]![path] = line.slice(0, cut);
      sectionOf.set(path, section);
      originals.set(path, [line]);
    } else if (section === 'details') {
      const head = BLOCK.exec(line);
      if (head) {
        block = { path: head[1]! };
        originals.get(block.path)?.push(line);
        details[block.path] = {};
        continue;
      }
      if (!block) continue;
      originals.get(block.path)?.push(line);
      const attr = ATTRIBUTE.exec(line);
      const name = attr ? (KEYS[attr[1]!] ?? attr[1]!.toLowerCase()) : block.last;
      if (name === undefined) continue;
      block.last = name;
      addValue(
        details[block.path]!,
        name,
        line.slice(VALUE_COLUMN),
        sectionOf.get(block.path),
        attr === null,
      );
    }
  }
  for (const [name, list] of Object.entries(entries)) if (Object.keys(list).length > 0) report[name] = list;
  report['details'] = typed(details);
  return { report, originals: new Map([...originals].map(([p, l]) => [p, l.join('\n')])) };
}

function addValue(
  detail: Record<string, { old?: string; new?: string }>,
  name: string,
  rest: string,
  section: string | undefined,
  continued: boolean,
): void {
  let before: string | undefined;
  let after: string | undefined;
  if (rest.slice(OLD_WIDTH, OLD_WIDTH + 3) === ' | ') {
    before = rest.slice(0, OLD_WIDTH).trim();
    after = rest.slice(OLD_WIDTH + 3).trim();
  } else if (section === 'added' || rest.slice(0, OLD_WIDTH + 3).trim() === '') {
    after = rest.trim();
  } else {
    before = rest.trim();
  }
  const values = (detail[name] ??= {});
  const join = (a: string | undefined, b: string | undefined) =>
    continued && a !== undefined ? a + (b ?? '') : b;
  if (before !== undefined && before !== '') values.old = join(values.old, before);
  if (after !== undefined && after !== '') values.new = join(values.new, after);
}

/** Numbers where the JSON report has numbers, so both formats give the same events. */
function typed(details: Record<string, Record<string, { old?: string; new?: string }>>): JsonObject {
  const out: Record<string, Record<string, Record<string, string | number>>> = {};
  for (const [path, attrs] of Object.entries(details)) {
    out[path] = {};
    for (const [name, sides] of Object.entries(attrs)) {
      const conv = (v: string | undefined) =>
        v !== undefined && NUMERIC.has(name) && /^\d+$/.test(v) ? Number(v) : v;
      const entry: Record<string, string | number> = {};
      const o = conv(sides.old);
      const n = conv(sides.new);
      if (o !== undefined) entry['old'] = o;
      if (n !== undefined) entry['new'] = n;
      out[path]![name] = entry;
    }
  }
  return out;
}
