import { SigmaRule } from '../compiled-rule';
import { compileDetection } from '../sigma/detection';
import type { FieldUse } from '../sigma/field-condition';
import { bindLogsource } from '../sigma/logsource';
import { checkFieldCoverage, type FieldSources } from './field-coverage';
import type { ProblemLog } from './problems';
import type { RuleSpec } from './rule-validator';

/**
 * Compiles a validated rule: its detection into matchers, its logsource into the datasets it sees. A
 * logsource tuxwatch does not ingest still compiles (so its detection is checked) but the rule is inactive,
 * with a note saying why. Given where fields come from, an active rule that needs a field no input kind
 * writes gets a warning at that field: it loads, and can never fire.
 */
export function compileRule(spec: RuleSpec, log: ProblemLog, fields?: FieldSources): SigmaRule | undefined {
  const uses: FieldUse[] = [];
  const detection = compileDetection(spec.detection, log, uses);
  if (detection === undefined) return undefined;
  const binding = bindLogsource(spec.logsource);
  if (!binding.active) {
    const at = (binding.cause !== undefined && spec.logsourcePos.keys[binding.cause]) || spec.logsourcePos;
    log.note(at, `rule inactive: ${binding.reason}`);
  } else if (fields !== undefined) {
    checkFieldCoverage(
      {
        id: spec.meta.id,
        datasets: binding.datasets,
        filter: binding.filter,
        logsource: { description: binding.description, pos: spec.logsourcePos },
        detection,
        uses,
        pos: spec.detection.pos,
      },
      fields,
      log,
    );
  }
  return new SigmaRule(spec.meta, spec.logsource, binding, detection, spec.tests, spec.name);
}
