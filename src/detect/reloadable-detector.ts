import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Detector } from '../domain/alert';
import type { SiemEvent } from '../domain/event';
import type { Detection, RuleProblem } from '../domain/rule';
import { InMemoryCorrelationState } from './correlation/correlation-state';
import { DetectionEngine } from './engine';
import { loadRuleSet } from './load/rule-set';

export type ReloadOutcome =
  | { readonly status: 'unchanged' }
  | { readonly status: 'loaded'; readonly rules: number; readonly problems: readonly RuleProblem[] }
  | { readonly status: 'kept'; readonly rules: number; readonly problems: readonly RuleProblem[] };

/**
 * The rule set of a running service, reloaded when the rule files change. A set with any error is never
 * swapped in: the last good set keeps running and the outcome says why. Correlation windows live in one
 * state shared by every generation, so an edit does not reset a brute-force count.
 */
export class ReloadableDetector implements Detector {
  private engine?: DetectionEngine;
  private fingerprint = '';
  /** the correlation windows of every rule generation; a service persists them per host */
  readonly correlationState: InMemoryCorrelationState;

  constructor(
    private readonly paths: readonly string[],
    correlationState = new InMemoryCorrelationState(),
  ) {
    this.correlationState = correlationState;
  }

  get ruleCount(): number {
    return this.engine?.rules.length ?? 0;
  }

  evaluate(event: SiemEvent, file?: string): Detection[] {
    return this.engine ? this.engine.evaluate(event, file) : [];
  }

  /** Loads the rules if their files changed since the last attempt (always, the first time). */
  async reload(): Promise<ReloadOutcome> {
    const fingerprint = await fingerprintOf(this.paths);
    if (this.engine && fingerprint === this.fingerprint) return { status: 'unchanged' };
    this.fingerprint = fingerprint;
    const { rules, correlations, problems } = await loadRuleSet(this.paths);
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 || rules.length === 0) {
      return { status: 'kept', rules: this.ruleCount, problems: errors.length ? errors : problems };
    }
    this.engine = new DetectionEngine(rules, { correlations, correlationState: this.correlationState });
    return { status: 'loaded', rules: rules.length, problems };
  }
}

/** A hash of the names and contents of every file under the paths: any edit, rename or removal changes it. */
async function fingerprintOf(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return void hash.update(`missing ${path}\n`);
    if (info.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) await visit(join(path, entry));
    } else {
      hash.update(`${path}\n`).update(await readFile(path).catch(() => Buffer.from('unreadable')));
    }
  };
  for (const path of paths) await visit(path);
  return hash.digest('hex');
}
