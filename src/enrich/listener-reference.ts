import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

/** The shipped table: detections/.reference/expected-listeners.yml (same depth from src/ and dist/). */
export const BUNDLED_EXPECTED_LISTENERS = resolve(
  __dirname,
  '..',
  '..',
  'detections',
  '.reference',
  'expected-listeners.yml',
);

/**
 * The shipped table as the build parsed it (write-parsed-listeners.ts), beside the compiled module: parsing its
 * YAML took 15-30 ms of each scan's 0.2 s start, in a library whose code had not run yet.
 */
export const PARSED_EXPECTED_LISTENERS = join(__dirname, 'expected-listeners.json');

/** lsof prints at most this many characters of a command name unless run with +c. */
export const LSOF_COMMAND_WIDTH = 9;

/** The ports a program may listen on: every port, or a set of ports and ranges. */
type PortRule = 'any' | { readonly ports: ReadonlySet<number>; readonly ranges: readonly [number, number][] };

interface ReferenceData {
  programs: Map<string, PortRule>;
  backdoorPorts: Set<number>;
  shells: Set<string>;
}

export class ListenerReferenceError extends Error {}

/**
 * What a listener is expected to be: ports per program, known backdoor ports, and programs that are shells.
 * Names match exactly, or, for a name exactly as long as lsof's COMMAND column, as a prefix ("nc.openbs" is
 * nc.openbsd).
 */
export class ListenerReference {
  private constructor(private readonly data: ReferenceData) {}

  /** The shipped table, with `userFile` merged over it when given. Throws on a malformed file. */
  static load(userFile?: string): ListenerReference {
    const data = complete(readReference(BUNDLED_EXPECTED_LISTENERS));
    if (userFile !== undefined) mergeInto(data, readReference(userFile));
    return new ListenerReference(data);
  }

  /** From already-parsed documents (tests): `base` with `overrides` merged over it, in order. */
  static fromDocuments(base: unknown, ...overrides: unknown[]): ListenerReference {
    const data = complete(toReference(base, '<base>'));
    overrides.forEach((o, i) => mergeInto(data, toReference(o, `<override ${i + 1}>`)));
    return new ListenerReference(data);
  }

  /** true/false when the program is in the table, undefined when the table says nothing about it. */
  expected(program: string, port: number): boolean | undefined {
    let verdict: boolean | undefined;
    for (const rule of this.rulesFor(program)) {
      if (rule === 'any' || rule.ports.has(port) || rule.ranges.some(([lo, hi]) => port >= lo && port <= hi))
        return true;
      verdict = false;
    }
    return verdict;
  }

  isBackdoorPort(port: number): boolean {
    return this.data.backdoorPorts.has(port);
  }

  isShell(program: string): boolean {
    if (this.data.shells.has(program)) return true;
    if (program.length !== LSOF_COMMAND_WIDTH) return false;
    for (const shell of this.data.shells) if (shell.startsWith(program)) return true;
    return false;
  }

  private rulesFor(program: string): PortRule[] {
    const exact = this.data.programs.get(program);
    if (exact !== undefined) return [exact];
    if (program.length !== LSOF_COMMAND_WIDTH) return [];
    const out: PortRule[] = [];
    for (const [name, rule] of this.data.programs) if (name.startsWith(program)) out.push(rule);
    return out;
  }
}

function readReference(file: string): Partial<ReferenceData> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ListenerReferenceError(`${file}: cannot read expected listeners: ${(err as Error).message}`);
  }
  return toReference(tableDocument(file, text), file);
}

/**
 * The YAML document of a table: the build's parse when `text` is byte for byte the text it parsed (by SHA-256:
 * an edited or a user's table is parsed as always), else parsed now.
 */
export function tableDocument(file: string, text: string, parsed = PARSED_EXPECTED_LISTENERS): unknown {
  const built = builtParse(parsed);
  if (built !== undefined && built.sha256 === textHash(text)) return built.document;
  try {
    return parse(text, { uniqueKeys: true });
  } catch (err) {
    throw new ListenerReferenceError(`${file}: ${(err as Error).message}`);
  }
}

/** The build's parse of a table's text, or undefined when JSON cannot carry the document exactly. */
export function serializeParsedTable(text: string): string | undefined {
  const document: unknown = parse(text, { uniqueKeys: true });
  let json: string;
  try {
    json = JSON.stringify({ format: PARSED_FORMAT, sha256: textHash(text), document } satisfies ParsedTable);
  } catch {
    return undefined;
  }
  // a -0, an infinity or a date would come back as something else: such a table is parsed at each start
  return isDeepStrictEqual((JSON.parse(json) as ParsedTable).document, document) ? json : undefined;
}

const PARSED_FORMAT = 'tuxwatch-parsed-listeners-1';

interface ParsedTable {
  readonly format: string;
  readonly sha256: string;
  readonly document: unknown;
}

function builtParse(file: string): ParsedTable | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as ParsedTable;
    return data.format === PARSED_FORMAT ? data : undefined;
  } catch {
    // no build's parse (a source checkout), or not one of ours: the text is parsed
    return undefined;
  }
}

const textHash = (text: string): string => createHash('sha256').update(text).digest('hex');

const complete = (p: Partial<ReferenceData>): ReferenceData => ({
  programs: p.programs ?? new Map(),
  backdoorPorts: p.backdoorPorts ?? new Set(),
  shells: p.shells ?? new Set(),
});

/** Programs merge name by name; a list given in `over` replaces the list in `base`. */
function mergeInto(base: ReferenceData, over: Partial<ReferenceData>): void {
  if (over.programs) {
    for (const [name, rule] of over.programs) base.programs.set(name, rule);
  }
  if (over.backdoorPorts) base.backdoorPorts = over.backdoorPorts;
  if (over.shells) base.shells = over.shells;
}

/** The keys the document has; absent keys stay absent, so an override only touches what it names. */
function toReference(doc: unknown, file: string): Partial<ReferenceData> {
  if (doc === null || doc === undefined) return {};
  const root = mapping(doc, file);
  for (const key of Object.keys(root)) {
    if (!['programs', 'backdoor_ports', 'shells'].includes(key))
      throw new ListenerReferenceError(`${file}: unknown key "${key}" (programs, backdoor_ports, shells)`);
  }
  const data: Partial<ReferenceData> = {};
  if (root['programs'] !== undefined) {
    data.programs = new Map();
    for (const [name, value] of Object.entries(mapping(root['programs'], `${file}: programs`)))
      data.programs.set(name, portRule(value, `${file}: programs.${name}`));
  }
  if (root['backdoor_ports'] !== undefined) {
    data.backdoorPorts = new Set(
      list(root['backdoor_ports'], `${file}: backdoor_ports`).map((p, i) =>
        port(p, `${file}: backdoor_ports[${i}]`),
      ),
    );
  }
  if (root['shells'] !== undefined) {
    data.shells = new Set(
      list(root['shells'], `${file}: shells`).map((s, i) => {
        if (typeof s !== 'string' || s === '')
          throw new ListenerReferenceError(`${file}: shells[${i}] must be a name`);
        return s;
      }),
    );
  }
  return data;
}

function portRule(value: unknown, where: string): PortRule {
  if (value === 'any') return 'any';
  const ports = new Set<number>();
  const ranges: [number, number][] = [];
  list(value, where).forEach((item, i) => {
    const range = typeof item === 'string' ? /^(\d+)-(\d+)$/.exec(item) : null;
    if (range) {
      const lo = port(Number(range[1]), `${where}[${i}]`);
      const hi = port(Number(range[2]), `${where}[${i}]`);
      if (lo > hi)
        throw new ListenerReferenceError(`${where}[${i}]: range "${item as string}" runs backwards`);
      ranges.push([lo, hi]);
    } else ports.add(port(item, `${where}[${i}]`));
  });
  return { ports, ranges };
}

function port(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535)
    throw new ListenerReferenceError(`${where}: a port is a whole number 0-65535 or a "low-high" range`);
  return value;
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ListenerReferenceError(`${where}: expected a mapping`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ListenerReferenceError(`${where}: expected a list (or "any")`);
  return value;
}
