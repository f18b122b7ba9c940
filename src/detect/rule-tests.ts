import type { SiemEvent } from '../domain/event';
import type { RuleMeta } from '../domain/rule';
import type { CompiledRule } from './compiled-rule';
import type { RuleTestCase, TestRecord } from './load/test-cases';

/** Turns a test case's raw record into events: the real parsers, injected so detect imports none. */
export type RecordToEvents = (record: TestRecord) => readonly SiemEvent[];

export interface RuleTestResult {
  readonly rule: RuleMeta;
  readonly name: string;
  readonly expect: 'match' | 'no-match';
  /** skipped: the rule is inactive here (its logsource is not ingested), so its cases cannot run */
  readonly outcome: 'pass' | 'fail' | 'skipped';
  /** events the case produced (a record may yield several, or none) */
  readonly events: number;
  /** whether any of them matched */
  readonly matched: boolean;
  /** why it failed or was skipped */
  readonly reason?: string;
  /** where the case is written */
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * Runs a rule's own `tests:` cases. A case passes when the rule (logsource and detection, exactly as the engine
 * runs it) fires on at least one of its events and `expect` is match, or on none and `expect` is no-match.
 */
export function runRuleTests(rule: CompiledRule, toEvents: RecordToEvents): RuleTestResult[] {
  return rule.tests.map((c) => runCase(rule, c, toEvents));
}

function runCase(rule: CompiledRule, c: RuleTestCase, toEvents: RecordToEvents): RuleTestResult {
  const base = {
    rule: rule.meta,
    name: c.name,
    expect: c.expect,
    file: rule.meta.file,
    line: c.pos.line,
    col: c.pos.col,
  };
  if (!rule.active) {
    return {
      ...base,
      outcome: 'skipped',
      events: 0,
      matched: false,
      reason: `rule inactive: ${rule.inactiveReason}`,
    };
  }
  let events: readonly SiemEvent[];
  if ('event' in c.input) events = [c.input.event];
  else {
    try {
      events = toEvents(c.input.record);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        ...base,
        outcome: 'fail',
        events: 0,
        matched: false,
        reason: `the record could not be parsed: ${why}`,
      };
    }
  }
  const matched = events.some((e) => rule.match(e));
  const passed = matched === (c.expect === 'match');
  if (passed) return { ...base, outcome: 'pass', events: events.length, matched };
  const reason =
    c.expect === 'match'
      ? events.length === 0
        ? 'expected a match, but the record produced no event'
        : `expected a match, but none of the ${events.length} event(s) matched`
      : 'expected no match, but the rule fired';
  return { ...base, outcome: 'fail', events: events.length, matched, reason };
}
