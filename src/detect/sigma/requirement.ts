/**
 * What an event must contain for a detection to possibly match: at least one of these literals occurs in the
 * lowercased text of its field. `null` means "no such guarantee" (the node can match without any literal).
 *
 * Soundness is the only invariant: if a node matches an event, one of its requirement's literals is a
 * substring of that field's lowercased value. The rule index relies on it to skip rules, never to match them.
 */
export interface LiteralNeed {
  readonly slot: number;
  /** lowercase ASCII, non-empty */
  readonly literal: string;
}

export type Requirement = readonly LiteralNeed[] | null;

/** Any of the alternatives may match: every one must bring a requirement, and the union is needed. */
export function anyOf(reqs: readonly Requirement[]): Requirement {
  const out: LiteralNeed[] = [];
  const seen = new Set<string>();
  for (const r of reqs) {
    if (r === null) return null;
    for (const need of r) {
      const key = `${need.slot}\u0000${need.literal}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(need);
      }
    }
  }
  return out.length === 0 ? null : out;
}

/** All of them must match: any single one's requirement is enough; take the most selective. */
export function allOf(reqs: readonly Requirement[]): Requirement {
  let best: Requirement = null;
  for (const r of reqs) if (r !== null && (best === null || selectivity(r) > selectivity(best))) best = r;
  return best;
}

/** Longer shortest literal first (rarer hits), then fewer literals (less scanning). */
function selectivity(r: readonly LiteralNeed[]): number {
  let shortest = Infinity;
  for (const n of r) shortest = Math.min(shortest, n.literal.length);
  return Math.min(shortest, 12) * 1000 - Math.min(r.length, 999);
}

/**
 * The longest lowercase ASCII run of the given pattern runs. ASCII text keeps its contiguity and case mapping
 * under `toLowerCase`, so a value containing the run (in any case) lowercases to one containing its lowercase
 * form; non-ASCII characters (final sigma, dotted I) have no such guarantee and are never used.
 */
export function bestAsciiRun(runs: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const run of runs) {
    let start = 0;
    for (let i = 0; i <= run.length; i++) {
      if (i === run.length || run.charCodeAt(i) > 0x7f) {
        if (i - start > (best?.length ?? 0)) best = run.slice(start, i);
        start = i + 1;
      }
    }
  }
  return best === undefined ? undefined : best.toLowerCase();
}
