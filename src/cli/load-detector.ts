import type { Detector } from '../domain/alert';
import { formatProblem } from '../domain/rule';
import { InMemoryCorrelationState } from '../detect/correlation/correlation-state';
import { DetectionEngine, loadRuleSet } from '../detect/engine';
import { ParsedRuleCache } from '../detect/load/parsed-rule-cache';

export class RulesError extends Error {}

/**
 * Occurrences a run remembers to know copies by (record-twins.ts): a scan reads a directory file after file,
 * so a copy in the last file comes after every record of the first. Two million records that feed a
 * correlation (failed logins, mostly) took 106 MB, each in four copies (more when a record is in more than
 * 30 files: record-twins.ts); past them, the oldest are forgotten and their copies count again.
 */
export const SCAN_COPIES = 1 << 21;

/**
 * Loads the rule set for a run. Rules with errors are reported and skipped by the engine, but a command
 * run on a rule set with errors stops (exit 2): a responder must not believe a broken rule is watching.
 */
export async function loadDetector(paths: readonly string[]): Promise<LoadedDetector> {
  const { rules, correlations, problems } = await loadRuleSet([...paths], {
    parsed: ParsedRuleCache.bundled(),
  });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new RulesError(`rules could not be loaded:\n${errors.map(formatProblem).join('\n')}`);
  if (rules.length === 0) throw new RulesError(`no rules found in ${paths.join(', ')}`);
  const engine = new DetectionEngine(rules, {
    correlations,
    correlationState: new InMemoryCorrelationState({ limits: { copies: SCAN_COPIES } }),
  });
  return {
    evaluate: (event, file) => engine.evaluate(event, file),
    ruleIds: [...rules.map((r) => r.meta.id), ...correlations.map((c) => c.meta.id)],
    paths,
  };
}

/** A detector, the ids of the rules it runs (correlations included) and where they were loaded from. */
export interface LoadedDetector extends Detector {
  readonly ruleIds: readonly string[];
  readonly paths: readonly string[];
}
