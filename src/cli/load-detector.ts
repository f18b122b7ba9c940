import type { Detector } from '../domain/alert';
import { formatProblem } from '../domain/rule';
import { DetectionEngine, loadRuleSet } from '../detect/engine';

export class RulesError extends Error {}

/**
 * Loads the rule set for a run. Rules with errors are reported and skipped by the engine, but a command
 * run on a rule set with errors stops (exit 2): a responder must not believe a broken rule is watching.
 */
export async function loadDetector(paths: readonly string[]): Promise<Detector> {
  const { rules, correlations, problems } = await loadRuleSet([...paths]);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new RulesError(`rules could not be loaded:\n${errors.map(formatProblem).join('\n')}`);
  if (rules.length === 0) throw new RulesError(`no rules found in ${paths.join(', ')}`);
  return new DetectionEngine(rules, { correlations });
}
