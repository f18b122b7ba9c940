import { SigmaRule } from '../compiled-rule';
import { compileDetection } from '../sigma/detection';
import { bindLogsource } from '../sigma/logsource';
import type { ProblemLog } from './problems';
import type { RuleSpec } from './rule-validator';

/**
 * Compiles a validated rule: its detection into matchers, its logsource into the datasets it sees. A
 * logsource tuxwatch does not ingest still compiles (so its detection is checked) but the rule is inactive,
 * with a note saying why.
 */
export function compileRule(spec: RuleSpec, log: ProblemLog): SigmaRule | undefined {
  const detection = compileDetection(spec.detection, log);
  if (detection === undefined) return undefined;
  const binding = bindLogsource(spec.logsource);
  if (!binding.active) {
    const at = (binding.cause !== undefined && spec.logsourcePos.keys[binding.cause]) || spec.logsourcePos;
    log.note(at, `rule inactive: ${binding.reason}`);
  }
  return new SigmaRule(spec.meta, spec.logsource, binding, detection, spec.tests, spec.name);
}
