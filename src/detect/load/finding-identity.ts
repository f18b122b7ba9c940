import { parseDuration } from '../../alert/duration';
import type { FindingIdentity } from '../../domain/rule';
import type { ProblemLog } from './problems';
import { describeKind, entry, type YMap, type YNode } from './yaml-tree';

/**
 * How long an entity finding stays open after its latest occurrence, unless the rule says otherwise: a
 * week covers the slowest sources that report the same fact again (a nightly AIDE run that keeps showing
 * the unreviewed change, a weekly collect sweep), and an account re-created a month later, after the
 * first alert was handled, is a new alert.
 */
export const DEFAULT_RENEW_AFTER_MS = 7 * 86_400_000;
/** Beyond a year an entity never renews in practice, and the ledger keeps every entity that long. */
const MAX_RENEW_AFTER_MS = 364 * 86_400_000;
/** An identity names an entity by a few fields (the bundled rules use one or two); the key hashes them all. */
const MAX_ENTITIES = 16;
const KNOWN_KEYS = new Set(['identity', 'renew-after']);
const FIELD = /^[A-Za-z_@][\w.@-]*$/;

/**
 * Reads a rule's `finding:` block (a tuxwatch extension: Sigma keeps unknown top-level keys as custom
 * attributes), e.g.
 *
 *     finding:
 *       identity:
 *         - [user.target.name, user.name]   # the account: the one changed, else the one named
 *         - group.name
 *       renew-after: 7d
 *
 * Returns undefined, with located errors, when the block is wrong.
 */
export function readFindingIdentity(root: YMap, log: ProblemLog): FindingIdentity | undefined {
  const block = entry(root, 'finding');
  if (block === undefined) return undefined;
  const node = block.value;
  if (node.kind !== 'map') {
    log.error(node.pos, `finding must be a mapping (identity, renew-after), not ${describeKind(node)}`);
    return undefined;
  }
  for (const e of node.entries) {
    if (!KNOWN_KEYS.has(e.key)) log.warning(e.keyNode.pos, `unknown finding key "${e.key}" ignored`);
  }
  const before = log.errorCount;
  const identity = entry(node, 'identity');
  if (identity === undefined) log.error(block.keyNode.pos, 'finding needs an identity (a list of fields)');
  const entities = identity === undefined ? [] : readEntities(identity.value, log);
  let renewAfterMs = DEFAULT_RENEW_AFTER_MS;
  const renew = entry(node, 'renew-after');
  if (renew !== undefined) {
    const text = renew.value.kind === 'scalar' ? String(renew.value.value) : '';
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0)
      log.error(renew.value.pos, 'renew-after is a number and a unit: s, m, h or d (e.g. 7d)');
    else if (ms > MAX_RENEW_AFTER_MS) log.error(renew.value.pos, 'renew-after longer than 364d (52 weeks)');
    else renewAfterMs = ms;
  }
  return log.errorCount > before ? undefined : { entities, renewAfterMs };
}

/** Each item: a field, or a list of fields that may name the same entity (the first present counts). */
function readEntities(node: YNode, log: ProblemLog): string[][] {
  if (node.kind !== 'seq' || node.items.length === 0) {
    log.error(node.pos, `identity must be a non-empty list of fields, not ${describeKind(node)}`);
    return [];
  }
  if (node.items.length > MAX_ENTITIES) {
    log.error(node.pos, `identity names at most ${MAX_ENTITIES} entities, not ${node.items.length}`);
    return [];
  }
  return node.items.map((item) => {
    const names = item.kind === 'seq' ? item.items : [item];
    if (names.length === 0) log.error(item.pos, 'an identity entry names at least one field');
    return names.flatMap((n) => {
      if (n.kind === 'scalar' && typeof n.value === 'string' && FIELD.test(n.value)) return [n.value];
      const what = n.kind === 'scalar' && typeof n.value === 'string' ? `"${n.value}"` : describeKind(n);
      log.error(n.pos, `an identity entry is a field name or a list of them, not ${what}`);
      return [];
    });
  });
}
