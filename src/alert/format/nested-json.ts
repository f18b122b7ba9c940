import { toNested } from '../../domain/event';

/**
 * `JSON.stringify(toNested(flat))`, byte for byte, without building the nested objects: the document's
 * shape (its keys, their nesting and order) depends only on the field names, and a scan prints thousands
 * of alerts of a few shapes. So each shape is nested once, with markers for values, into a plan: the JSON
 * text between values, and which field each value is. An alert is then its plan's texts and its values'
 * JSON, where nesting and stringifying objects with null prototypes cost most of the output phase.
 */
interface Plan {
  /** the field names it was made for, in the order Object.keys gave them */
  readonly names: readonly string[];
  /** whether each of those has a value (an undefined one is left out of the document) */
  readonly defined: readonly boolean[];
  /** the JSON text before each value, and after the last */
  readonly texts: readonly string[];
  /** the index in `names` of each value, in document order */
  readonly values: readonly number[];
}

/** plans by field count, the most recently made last */
const plans = new Map<number, Plan[]>();
/** plans kept per field count: enough for a scan's rules, bounded for inputs of every shape */
const PLANS_PER_COUNT = 32;

/**
 * `extra`: one field more, as if the object were spread into a copy with it (`{ ...flat, [name]: value }`):
 * an alert's line adds its id so, and the copy of its thirty-odd fields cost as much as writing the rest.
 */
export function nestedJson(
  flat: Readonly<Record<string, unknown>>,
  extra?: readonly [name: string, value: unknown],
): string {
  const names = Object.keys(flat);
  const values: unknown[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) values[i] = flat[names[i]!];
  if (extra !== undefined) {
    const at = names.indexOf(extra[0]);
    if (at >= 0) values[at] = extra[1];
    else {
      names.push(extra[0]);
      values.push(extra[1]);
    }
  }
  for (const value of values) {
    if (!isFieldValue(value))
      return JSON.stringify(toNested(extra === undefined ? flat : { ...flat, [extra[0]]: extra[1] }));
  }
  const plan = planFor(values, names);
  let json = plan.texts[0]!;
  for (let i = 0; i < plan.values.length; i++)
    json += JSON.stringify(values[plan.values[i]!]) + plan.texts[i + 1]!;
  return json;
}

/**
 * What fields hold (FieldValue), or undefined: anything else (an object would be nested into, a function
 * left out) takes the general way.
 */
function isFieldValue(v: unknown): boolean {
  const type = typeof v;
  return (
    v === undefined ||
    v === null ||
    type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    Array.isArray(v)
  );
}

/** The plan for fields `names` with `values` (by index), made when no plan kept fits them. */
function planFor(values: readonly unknown[], names: readonly string[]): Plan {
  let bucket = plans.get(names.length);
  if (bucket === undefined) plans.set(names.length, (bucket = []));
  for (const plan of bucket) if (fits(plan, values, names)) return plan;
  const plan = makePlan(values, names);
  if (bucket.push(plan) > PLANS_PER_COUNT) bucket.shift();
  return plan;
}

function fits(plan: Plan, values: readonly unknown[], names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) {
    if (plan.names[i] !== names[i] || plan.defined[i] !== (values[i] !== undefined)) return false;
  }
  return true;
}

/** Nests markers in place of the values (arrays, which nesting treats as it treats every field value). */
function makePlan(fieldValues: readonly unknown[], names: readonly string[]): Plan {
  const defined = fieldValues.map((value) => value !== undefined);
  const markers = new Map<unknown, number>();
  const marked: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  names.forEach((name, i) => {
    if (!defined[i]) return;
    const marker: unknown[] = [];
    markers.set(marker, i);
    marked[name] = marker;
  });
  const texts: string[] = [];
  const values: number[] = [];
  let text = '';
  const walk = (node: Record<string, unknown>): void => {
    text += '{';
    Object.keys(node).forEach((key, k) => {
      text += `${k > 0 ? ',' : ''}${JSON.stringify(key)}:`;
      const value = node[key];
      const index = markers.get(value);
      if (index === undefined) walk(value as Record<string, unknown>);
      else {
        texts.push(text);
        values.push(index);
        text = '';
      }
    });
    text += '}';
  };
  walk(toNested(marked));
  texts.push(text);
  return { names, defined, texts, values };
}
