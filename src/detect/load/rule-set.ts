import type { RuleProblem } from '../../domain/rule';
import type { CompiledRule } from '../compiled-rule';
import { compileCorrelation, type CompiledCorrelation } from '../correlation/correlation-compiler';
import type { FieldSources } from './field-coverage';
import type { ParsedRuleCache } from './parsed-rule-cache';
import { ProblemLog } from './problems';
import { compileRule } from './rule-compiler';
import { readRulePaths, readRuleText, type RuleDocument } from './rule-reader';
import { validateRuleDocument, type CorrelationSpec } from './rule-validator';

export interface RuleSet {
  /** rules that run */
  readonly rules: CompiledRule[];
  /** rules that loaded but whose logsource tuxwatch does not ingest (each has a `note` problem) */
  readonly inactive: CompiledRule[];
  /** Sigma correlation rules over `rules` */
  readonly correlations: CompiledCorrelation[];
  /** every error, warning and note, located; a document with an error contributes no rule */
  readonly problems: RuleProblem[];
}

export interface LoadOptions {
  /**
   * Where events' fields come from. With it, an active rule that needs a field no input kind writes gets a
   * warning (`rules validate`); without it, fields are not checked.
   */
  readonly fields?: FieldSources;
  /** rule files parsed before (the build's, for the bundled rules): their YAML is not parsed again */
  readonly parsed?: ParsedRuleCache;
}

/** Loads rule files and directories: read → validate → compile, never throwing halfway. */
export async function loadRuleSet(paths: readonly string[], options: LoadOptions = {}): Promise<RuleSet> {
  const read = await readRulePaths(paths, options.parsed);
  return compileDocuments(read.documents, read.problems, options);
}

/** The same, for one file's text (tests, stdin). */
export function compileRuleText(file: string, text: string, options: LoadOptions = {}): RuleSet {
  const read = readRuleText(file, text);
  return compileDocuments(read.documents, read.problems, options);
}

export function compileDocuments(
  documents: readonly RuleDocument[],
  readProblems: readonly RuleProblem[],
  options: LoadOptions = {},
): RuleSet {
  const problems: RuleProblem[] = [...readProblems];
  const rules: CompiledRule[] = [];
  const inactive: CompiledRule[] = [];
  const correlationSpecs: { spec: CorrelationSpec; log: ProblemLog }[] = [];
  const slugs = new Map<string, string>();
  const uuids = new Map<string, string>();

  for (const doc of documents) {
    const log = new ProblemLog(doc.file);
    try {
      const spec = validateRuleDocument(doc, log);
      if (spec?.kind === 'correlation') {
        // compiled once every rule is known; its identity is claimed in document order all the same
        if (unique(spec.meta, doc, slugs, uuids, log)) {
          correlationSpecs.push({ spec, log });
          continue;
        }
      } else if (spec !== undefined) {
        // only a rule that loads claims its identity: a broken copy must not shadow the good one
        const rule = compileRule(spec, log, options.fields);
        if (rule !== undefined && unique(spec.meta, doc, slugs, uuids, log)) {
          (rule.active ? rules : inactive).push(rule);
        }
      }
    } catch (err) {
      log.error(
        doc.pos,
        `internal error while loading this rule: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    problems.push(...log.problems);
  }

  const correlations: CompiledCorrelation[] = [];
  for (const { spec, log } of correlationSpecs) {
    try {
      const c = compileCorrelation(spec, [...rules, ...inactive], log);
      if (c !== undefined) correlations.push(c);
    } catch (err) {
      log.error(
        spec.pos,
        `internal error while loading this correlation: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    problems.push(...log.problems);
  }
  return { rules, inactive, correlations, problems: sortProblems(problems) };
}

function unique(
  meta: { id: string; uuid: string },
  doc: RuleDocument,
  slugs: Map<string, string>,
  uuids: Map<string, string>,
  log: ProblemLog,
): boolean {
  const bySlug = slugs.get(meta.id);
  if (bySlug !== undefined) {
    log.error(
      doc.pos,
      `rule id "${meta.id}" (the file name) is already used by ${bySlug}: alert ids would collide`,
    );
    return false;
  }
  const byUuid = uuids.get(meta.uuid.toLowerCase());
  if (byUuid !== undefined) {
    log.error(doc.pos, `Sigma id ${meta.uuid} is already used by ${byUuid}`);
    return false;
  }
  slugs.set(meta.id, doc.file);
  uuids.set(meta.uuid.toLowerCase(), doc.file);
  return true;
}

/** Files in the order they were read; within a file, by position. */
function sortProblems(problems: readonly RuleProblem[]): RuleProblem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return [...problems].sort(
    (a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line || a.col - b.col,
  );
}
