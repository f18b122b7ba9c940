/**
 * A small reader of Dockerfile instructions and .dockerignore patterns, enough to check the structure of
 * the project's Dockerfile without a Docker engine. It follows the Dockerfile reference where that
 * matters here: parser directives, `#` comments, line continuations (also across comment lines), flags
 * (`--from=build`), exec form (JSON array) versus shell form, global `ARG`s usable in `FROM`.
 */

export interface Instruction {
  /** upper-cased instruction name: FROM, RUN, COPY, ... */
  readonly keyword: string;
  /** everything after the keyword and its flags, continuations joined with a space */
  readonly args: string;
  /** `--name=value` flags before the arguments (`--from`, `--chown`, `--interval`, ...) */
  readonly flags: Readonly<Record<string, string>>;
  /** the arguments when written in exec form (a JSON array of strings) */
  readonly exec?: readonly string[];
  /** 1-based line where the instruction starts */
  readonly line: number;
}

export interface Stage {
  /** base image with global ARG defaults substituted */
  readonly from: string;
  readonly name?: string;
  readonly index: number;
  /** the instructions of the stage, FROM excluded */
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly directives: Readonly<Record<string, string>>;
  /** ARGs declared before the first FROM, with their defaults */
  readonly globalArgs: Readonly<Record<string, string | undefined>>;
  readonly stages: readonly Stage[];
  readonly instructions: readonly Instruction[];
}

const DIRECTIVE = /^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/;

function splitFlags(rest: string): { flags: Record<string, string>; args: string } {
  const flags: Record<string, string> = {};
  let args = rest;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=("[^"]*"|\S*))?\s*/.exec(args);
    if (!m) break;
    flags[m[1]!] = (m[2] ?? 'true').replace(/^"(.*)"$/, '$1');
    args = args.slice(m[0].length);
  }
  return { flags, args };
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined; // Docker treats a malformed array as shell form
  }
}

function substitute(value: string, vars: Readonly<Record<string, string | undefined>>): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced: string | undefined, dflt: string | undefined, bare: string | undefined) => {
      const v = vars[(braced ?? bare)!];
      return v !== undefined && v !== '' ? v : (dflt ?? '');
    },
  );
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const directives: Record<string, string> = {};
  let i = 0;
  // parser directives: only at the very top, before any comment, blank line or instruction
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m || m[1]!.toLowerCase() in directives) break;
    directives[m[1]!.toLowerCase()] = m[2]!;
  }
  const escape = directives['escape'] ?? '\\';

  const instructions: Instruction[] = [];
  let current: { text: string; line: number } | undefined;
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (current && trimmed === '')) continue; // comments; blank lines inside a continuation
    if (!current && trimmed === '') continue;
    const continued = trimmed.endsWith(escape);
    const piece = continued ? trimmed.slice(0, -escape.length).trim() : trimmed;
    current = current ? { ...current, text: `${current.text} ${piece}` } : { text: piece, line: i + 1 };
    if (!continued) {
      instructions.push(toInstruction(current.text, current.line));
      current = undefined;
    }
  }
  if (current) instructions.push(toInstruction(current.text, current.line));

  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  let stage: { from: string; name?: string; instructions: Instruction[] } | undefined;
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(ins.args);
      if (!m) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      if (stage) stages.push({ ...stage, index: stages.length });
      stage = { from: substitute(m[1]!, globalArgs), name: m[2]?.toLowerCase(), instructions: [] };
    } else if (!stage) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value] = ins.args.split(/=(.*)/s);
      globalArgs[name!.trim()] = value?.replace(/^"(.*)"$/, '$1');
    } else {
      stage.instructions.push(ins);
    }
  }
  if (stage) stages.push({ ...stage, index: stages.length });
  return { directives, globalArgs, stages, instructions };
}

function toInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*(.*)$/s.exec(text)!;
  const { flags, args } = splitFlags(m[2]!);
  return { keyword: m[1]!.toUpperCase(), args, flags, exec: execForm(args), line };
}

/** The command of a HEALTHCHECK: `CMD [...]` / `CMD shell...` / `NONE`. */
export function healthcheckCommand(ins: Instruction): { exec?: string[]; shell?: string } | 'NONE' {
  const m = /^(CMD|NONE)\b\s*(.*)$/is.exec(ins.args);
  if (!m) throw new Error(`line ${ins.line}: HEALTHCHECK without CMD or NONE`);
  if (m[1]!.toUpperCase() === 'NONE') return 'NONE';
  const exec = execForm(m[2]!);
  return exec ? { exec } : { shell: m[2]! };
}

/** The exec-form HEALTHCHECK command of the final stage (the image's own healthcheck). */
export function finalHealthcheck(df: Dockerfile): string[] {
  const ins = df.stages
    .at(-1)
    ?.instructions.filter((i) => i.keyword === 'HEALTHCHECK')
    .at(-1);
  if (!ins) throw new Error('no HEALTHCHECK in the final stage');
  const hc = healthcheckCommand(ins);
  if (hc === 'NONE' || !hc.exec) throw new Error(`line ${ins.line}: HEALTHCHECK is not in exec form`);
  return hc.exec;
}

/**
 * .dockerignore: one pattern a line, `#` comments, `!` re-includes, `*`, `?`, `**`; a pattern that
 * matches a directory excludes everything below it. Returns whether `path` (relative to the context,
 * `/`-separated) is left out of the build context.
 */
export function dockerignoreExcludes(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+|\/+$/g, '');
      const source = pattern
        .split('/')
        .map((seg) =>
          seg === '**'
            ? '\uE000'
            : seg
                .replace(/[.+^${}()|\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\uE000\//g, '(?:.*/)?')
        .replace(/\/\uE000/g, '(?:/.*)?')
        .replace(/\uE000/g, '.*');
      return { negate, re: new RegExp(`^${source}(?:/.*)?$`) };
    });
  const clean = path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  let excluded = false;
  for (const r of rules) if (r.re.test(clean)) excluded = !r.negate;
  return excluded;
}
