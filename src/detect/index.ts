/**
 * The detect stage: Sigma rules loaded (read → validate → compile, every problem located) and run over
 * normalized events. Pure: no Nest, no parsers (rule test cases get theirs injected).
 */
export { DetectionEngine, type EngineOptions } from './engine';
export { loadRuleSet, compileRuleText, type RuleSet } from './load/rule-set';
export type { CompiledRule } from './compiled-rule';
export type { RuleTestCase, TestRecord } from './load/test-cases';
export { runRuleTests, type RecordToEvents, type RuleTestResult } from './rule-tests';
export type { CompiledCorrelation, CorrelationType } from './correlation/correlation-compiler';
export {
  InMemoryCorrelationState,
  type CorrelationEntry,
  type CorrelationKey,
  type CorrelationState,
} from './correlation/correlation-state';
export type { IndexStats } from './rule-index';
export { SIGMA_TO_ECS, DERIVED_FIELDS } from './sigma/field-map';
export { MODIFIERS } from './sigma/modifiers';
export { DATASETS, type Dataset } from './sigma/logsource';
