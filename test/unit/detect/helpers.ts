import type { SiemEvent } from '../../../src/domain/event';
import { formatProblem } from '../../../src/domain/rule';
import type { CompiledRule } from '../../../src/detect/compiled-rule';
import { compileRuleText, type RuleSet } from '../../../src/detect/load/rule-set';

export const UUID = '0ac15ec3-d24f-4246-aa2a-3077bb1cf90e';

/** A complete rule document around a detection block (indented by the caller as under `detection:`). */
export function ruleYaml(detection: string, logsource = 'product: linux\n  service: syslog'): string {
  return `title: test rule\nid: ${UUID}\nlevel: high\nlogsource:\n  ${logsource}\ndetection:\n${detection}\n`;
}

/** A base rule for correlations: a failed SSH login (`event.action: ssh_login`, failure), named `ssh_failed`. */
export const SSH_FAILED_RULE = `title: SSH login failure
id: 11111111-1111-4111-8111-111111111111
name: ssh_failed
level: low
logsource:
  product: linux
  service: auth
detection:
  sel:
    event.action: ssh_login
    event.outcome: failure
  condition: sel
`;

export function compile(text: string, file = 'rules/test-rule.yml'): RuleSet {
  return compileRuleText(file, text);
}

/** Compiles one rule that must load without errors. */
export function rule(detection: string, logsource?: string): CompiledRule {
  const set = compile(ruleYaml(detection, logsource));
  const errors = set.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatProblem).join('\n'));
  const r = set.rules[0] ?? set.inactive[0];
  if (r === undefined) throw new Error('no rule compiled');
  return r;
}

/** The errors of a rule that must not load. */
export function errorsOf(text: string, file = 'rules/test-rule.yml'): string[] {
  return compile(text, file)
    .problems.filter((p) => p.severity === 'error')
    .map(formatProblem);
}

export function event(fields: Record<string, SiemEvent[string]>): SiemEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', 'event.original': '', ...fields } as SiemEvent;
}
