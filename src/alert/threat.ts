import type { FieldValue } from '../domain/event';

const TECHNIQUE = /^attack\.(t\d{4})(?:\.(\d{3}))?$/i;
const GROUP_OR_SOFTWARE = /^attack\.[gs]\d{4}$/i;

/** a rule's tags never change: its ATT&CK fields are worked out once (every alert carries them) */
const known = new WeakMap<readonly string[], Readonly<Record<string, FieldValue>>>();

/**
 * ATT&CK fields (ECS `threat.*`) from Sigma tags: `attack.t1136.001`, `attack.persistence`. The result and
 * its lists are frozen: alerts of one rule share them.
 */
export function threatFields(tags: readonly string[]): Readonly<Record<string, FieldValue>> {
  let fields = known.get(tags);
  if (fields === undefined) {
    fields = deepFreeze(fromTags(tags));
    known.set(tags, fields);
  }
  return fields;
}

function deepFreeze(fields: Record<string, FieldValue>): Readonly<Record<string, FieldValue>> {
  for (const value of Object.values(fields)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(fields);
}

function fromTags(tags: readonly string[]): Record<string, FieldValue> {
  const techniques = new Set<string>();
  const subtechniques = new Set<string>();
  const tactics = new Set<string>();
  for (const tag of tags) {
    const t = TECHNIQUE.exec(tag);
    if (t) {
      const id = t[1]!.toUpperCase();
      techniques.add(id);
      if (t[2]) subtechniques.add(`${id}.${t[2]}`);
    } else if (tag.toLowerCase().startsWith('attack.') && !GROUP_OR_SOFTWARE.test(tag)) {
      tactics.add(tag.slice('attack.'.length).toLowerCase().replace(/_/g, '-'));
    }
  }
  if (techniques.size === 0 && tactics.size === 0) return {};
  const out: Record<string, FieldValue> = { 'threat.framework': 'MITRE ATT&CK' };
  if (techniques.size) out['threat.technique.id'] = [...techniques];
  if (subtechniques.size) out['threat.technique.subtechnique.id'] = [...subtechniques];
  if (tactics.size) out['threat.tactic.name'] = [...tactics];
  return out;
}
