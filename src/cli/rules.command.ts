import type { SiemEvent } from '../domain/event';
import { formatProblem } from '../domain/rule';
import { loadRuleSet } from '../detect/engine';
import { runRuleTests } from '../detect/rule-tests';
import { parseRecord } from '../parse/parse-record';
import { terminalText } from '../observability/terminal-text';
import { producedFields } from '../pipeline/produced-fields';
import type { TestRecord } from '../detect/load/test-cases';

/**
 * `tuxwatch rules validate`: every problem as `file:line:col: message`; exit 1 if any rule is invalid. Rules
 * are checked against the fields tuxwatch's parsers and enrichers declare, so a rule that needs a field no
 * input kind writes is a warning: it is active and can never fire.
 */
export async function validateRules(paths: string[]): Promise<number> {
  const { rules, inactive, problems } = await loadRuleSet(paths, { fields: producedFields() });
  // rule file names and the text quoted from rules are anyone's: escaped before they reach a terminal
  for (const p of problems) process.stdout.write(terminalText(formatProblem(p)) + '\n');
  const errors = problems.filter((p) => p.severity === 'error').length;
  const dead = new Set(problems.filter((p) => p.message.includes(' can never fire: ')).map((p) => p.file))
    .size;
  const deadNote = dead > 0 ? ` (${dead} can never fire)` : '';
  process.stderr.write(
    `${rules.length} rules active${deadNote}, ${inactive.length} inactive, ${errors} errors\n`,
  );
  return errors > 0 ? 1 : 0;
}

/** `tuxwatch rules test`: each rule's own positive and negative cases, through the real parsers. */
export async function testRules(paths: string[]): Promise<number> {
  const { rules, problems } = await loadRuleSet(paths);
  const errors = problems.filter((p) => p.severity === 'error');
  for (const p of errors) process.stdout.write(terminalText(formatProblem(p)) + '\n');
  let failed = errors.length;
  let passed = 0;
  for (const rule of rules) {
    for (const result of runRuleTests(rule, recordToEvents)) {
      if (result.outcome === 'pass') passed++;
      else if (result.outcome === 'fail') {
        failed++;
        process.stdout.write(
          terminalText(
            `${result.file}:${result.line}:${result.col}: FAIL ${rule.meta.id}: ${result.name}: ${result.reason ?? ''}`,
          ) + '\n',
        );
      }
    }
  }
  process.stdout.write(`rules test: ${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

const RULE_TEST_DEFAULTS = { timezone: 'UTC', maxRecordBytes: 1024 * 1024 };

/** A rule test's record, through the same parse stage as `scan` and `serve`. */
export function recordToEvents(record: TestRecord): SiemEvent[] {
  const result = parseRecord(
    {
      text: record.text,
      origin: { type: 'file', path: '<rule test>', line: 1 },
      kind: record.source,
      host: record.host,
      timezone: record.timezone,
    },
    RULE_TEST_DEFAULTS,
    new Date(),
  );
  if (!result.ok) throw new Error(`test record does not parse: ${result.reason}`);
  return [...result.events];
}
