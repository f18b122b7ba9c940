import type { EventView } from './event-view';
import { allOf, anyOf, type Requirement } from './requirement';

/**
 * Whether a node can match events that carry only certain fields: `never`, `maybe`, or `always` (every such
 * event matches, e.g. `Field: null` when the field is never there). Field values are unknown, so a test on
 * a field that may be present is `maybe`.
 */
export type Reach = 'never' | 'maybe' | 'always';

/** Whether events may carry the field of a slot (field-map.ts). */
export type FieldPresence = (slot: number) => boolean;

/** A compiled piece of a detection: a field test, a selection, or the condition over them. */
export interface DetectionNode {
  match(view: EventView): boolean;
  /** literals a match needs (see requirement.ts); computed once when rules are indexed */
  requirement(): Requirement;
  /** what it can match when events carry only the fields `present` admits (rules validate) */
  reach(present: FieldPresence): Reach;
}

/** A test that needs its field: a value test, `exists: true`. */
export const needsField = (present: FieldPresence, slot: number): Reach =>
  present(slot) ? 'maybe' : 'never';

export class AndNode implements DetectionNode {
  constructor(readonly children: readonly DetectionNode[]) {}
  match(view: EventView): boolean {
    for (const c of this.children) if (!c.match(view)) return false;
    return true;
  }
  requirement(): Requirement {
    return allOf(this.children.map((c) => c.requirement()));
  }
  reach(present: FieldPresence): Reach {
    let all = true;
    for (const c of this.children) {
      const r = c.reach(present);
      if (r === 'never') return 'never';
      if (r === 'maybe') all = false;
    }
    return all ? 'always' : 'maybe';
  }
}

export class OrNode implements DetectionNode {
  constructor(readonly children: readonly DetectionNode[]) {}
  match(view: EventView): boolean {
    for (const c of this.children) if (c.match(view)) return true;
    return false;
  }
  requirement(): Requirement {
    return anyOf(this.children.map((c) => c.requirement()));
  }
  reach(present: FieldPresence): Reach {
    let none = true;
    for (const c of this.children) {
      const r = c.reach(present);
      if (r === 'always') return 'always';
      if (r === 'maybe') none = false;
    }
    return none ? 'never' : 'maybe';
  }
}

export class NotNode implements DetectionNode {
  constructor(private readonly child: DetectionNode) {}
  match(view: EventView): boolean {
    return !this.child.match(view);
  }
  requirement(): Requirement {
    return null;
  }
  reach(present: FieldPresence): Reach {
    const r = this.child.reach(present);
    return r === 'never' ? 'always' : r === 'always' ? 'never' : 'maybe';
  }
}

/** AND of the children, nested ANDs flattened (fewer calls per event). */
export function and(children: readonly DetectionNode[]): DetectionNode {
  const flat = children.flatMap((c) => (c instanceof AndNode ? c.children : [c]));
  return flat.length === 1 ? flat[0]! : new AndNode(flat);
}

export function or(children: readonly DetectionNode[]): DetectionNode {
  const flat = children.flatMap((c) => (c instanceof OrNode ? c.children : [c]));
  return flat.length === 1 ? flat[0]! : new OrNode(flat);
}
