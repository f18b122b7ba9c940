import type { EventView } from './event-view';
import { allOf, anyOf, type Requirement } from './requirement';

/** A compiled piece of a detection: a field test, a selection, or the condition over them. */
export interface DetectionNode {
  match(view: EventView): boolean;
  /** literals a match needs (see requirement.ts); computed once when rules are indexed */
  requirement(): Requirement;
}

export class AndNode implements DetectionNode {
  constructor(readonly children: readonly DetectionNode[]) {}
  match(view: EventView): boolean {
    for (const c of this.children) if (!c.match(view)) return false;
    return true;
  }
  requirement(): Requirement {
    return allOf(this.children.map((c) => c.requirement()));
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
}

export class NotNode implements DetectionNode {
  constructor(private readonly child: DetectionNode) {}
  match(view: EventView): boolean {
    return !this.child.match(view);
  }
  requirement(): Requirement {
    return null;
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
