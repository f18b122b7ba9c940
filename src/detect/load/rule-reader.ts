import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { RuleProblem } from '../../domain/rule';
import type { ParsedRuleCache } from './parsed-rule-cache';
import { FILE_START, ProblemLog } from './problems';
import { toTree, type Position, type YNode } from './yaml-tree';

/** One YAML document of a rule file, as a located tree. */
export interface RuleDocument {
  readonly file: string;
  /** 1-based position among the file's non-empty documents (broken ones included, so ids stay stable) */
  readonly index: number;
  /** how many non-empty documents the file holds */
  readonly count: number;
  readonly root: YNode;
  readonly pos: Position;
}

export interface ReadResult {
  readonly documents: RuleDocument[];
  readonly problems: RuleProblem[];
}

const RULE_EXTENSIONS = ['.yml', '.yaml'];
/** A rule file is a few kilobytes; anything this large is a mistake (or an attack on the loader). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Parses a rule file's text. YAML errors are located problems; a broken document yields no tree. */
export function readRuleText(file: string, text: string): ReadResult {
  const log = new ProblemLog(file);
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const documents: RuleDocument[] = [];
  if (!Array.isArray(parsed)) return { documents, problems: log.problems };
  const nonEmpty = parsed.filter((d) => d.contents !== null || d.errors.length > 0);
  if (nonEmpty.length === 0) log.warning(FILE_START, 'no rule in this file (it is empty or only comments)');
  nonEmpty.forEach((doc, i) => {
    const pos = lines.linePos(doc.range[0]);
    for (const err of doc.errors) {
      const p = lines.linePos(err.pos[0]);
      log.error({ line: p.line, col: p.col }, `YAML: ${err.message} (${err.code})`);
    }
    for (const warn of doc.warnings) {
      // unresolved tags are reported (as errors) by toTree, with the node's own position
      if (warn.code === 'TAG_RESOLVE_FAILED') continue;
      const p = lines.linePos(warn.pos[0]);
      log.warning({ line: p.line, col: p.col }, `YAML: ${warn.message} (${warn.code})`);
    }
    if (doc.errors.length > 0) return;
    const before = log.errorCount;
    const { root, problems } = toTree(doc, lines);
    for (const p of problems) log.error(p.pos, p.message);
    if (root === undefined || log.errorCount > before) return;
    documents.push({
      file,
      index: i + 1,
      count: nonEmpty.length,
      root,
      pos: { line: pos.line, col: pos.col },
    });
  });
  return { documents, problems: log.problems };
}

/**
 * Expands files and directories (recursively, `.yml`/`.yaml`, sorted so ids and output are stable) into rule
 * files. A path that cannot be read is a located problem, never an exception.
 */
export async function listRuleFiles(
  paths: readonly string[],
): Promise<{ files: string[]; problems: RuleProblem[] }> {
  const files: string[] = [];
  const problems: RuleProblem[] = [];
  const visited = new Set<string>(); // real paths of directories, so symlink loops end
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (err) {
          problems.push(unreadable(full, err));
          continue;
        }
      }
      if (isDir) await walk(full);
      else if (RULE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) {
        if (isFile) files.push(full);
        // a FIFO or device named like a rule would block or never end: said, never read
        else problems.push(notAFile(full, 'warning'));
      }
    }
  };
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (s.isDirectory()) await walk(p);
      else if (s.isFile()) files.push(p);
      else problems.push(notAFile(p, 'error'));
    } catch (err) {
      problems.push(unreadable(p, err));
    }
  }
  return { files, problems };
}

/** Reads every rule file under `paths`; files whose text `cache` holds are not parsed again. */
export async function readRulePaths(paths: readonly string[], cache?: ParsedRuleCache): Promise<ReadResult> {
  const listed = await listRuleFiles(paths);
  const documents: RuleDocument[] = [];
  const problems = [...listed.problems];
  for (const file of listed.files) {
    let text: string;
    try {
      const s = await stat(file);
      if (s.size > MAX_FILE_BYTES) {
        problems.push({
          file,
          ...FILE_START,
          severity: 'error',
          message: `rule file larger than ${MAX_FILE_BYTES} bytes`,
        });
        continue;
      }
      text = await readFile(file, 'utf8');
    } catch (err) {
      problems.push(unreadable(file, err));
      continue;
    }
    const result = cache?.get(file, text) ?? readRuleText(file, text);
    documents.push(...result.documents);
    problems.push(...result.problems);
  }
  return { documents, problems };
}

function notAFile(file: string, severity: 'error' | 'warning'): RuleProblem {
  return {
    file,
    ...FILE_START,
    severity,
    message: 'not a regular file (a FIFO, device or socket): rules are read from files only',
  };
}

function unreadable(file: string, err: unknown): RuleProblem {
  const reason =
    err instanceof Error && 'code' in err ? String((err as NodeJS.ErrnoException).code) : String(err);
  return { file, ...FILE_START, severity: 'error', message: `cannot read rules: ${reason}` };
}
