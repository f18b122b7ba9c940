import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nestedJson } from '../../../src/alert/format/nested-json';
import { toNested } from '../../../src/domain/event';

const plain = (flat: Record<string, unknown>): string => JSON.stringify(toNested(flat));

/** Own properties in the order given, "__proto__" included (an object literal would set the prototype). */
const flatOf = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const flat: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(flat, k, { value: v, enumerable: true, writable: true });
  return flat;
};

describe('nestedJson: the JSON of toNested, from a plan per shape', () => {
  it('writes what JSON.stringify(toNested()) writes, on the shapes nesting treats specially', () => {
    const cases: Record<string, unknown>[] = [
      {},
      { '@timestamp': 't', 'event.kind': 'alert', 'event.id': 'x', 'host.name': 'web01' },
      // a field and a field under it: the value gives way to the object, in its place
      { a: 1, 'a.b': 2, 'a.b.c': [3, 'x'], 'a.d': null },
      // integer-like keys come first in an object, in numeric order
      { 'x.10': 'ten', 'x.2': 'two', 'x.b': 'b', 'x.0': 'zero', '3': 3 },
      { 'a..b': 1, '.a': 2, 'a.': 3, '@a.b': 4, 'é.ü': '"\\\n\u2028' },
      { 'a.b': undefined, 'a.c': 1, d: undefined },
      flatOf([
        ['__proto__', 1],
        ['constructor.name', 'c'],
        ['toString', 't'],
        ['user.__proto__', 'p'],
      ]),
      // not a field value: the general way
      { 'a.b': { c: 1 }, 'a.b.d': 2, e: new Date(0) },
    ];
    for (const flat of cases) {
      expect(nestedJson(flat)).toBe(plain(flat));
      expect(nestedJson(flat)).toBe(plain(flat)); // the second time from the plan
    }
  });

  it('one plan per field names and which of them have a value', () => {
    const with1 = { 'a.b': 1, 'a.c': 2 };
    const without = { 'a.b': undefined, 'a.c': 2 };
    for (const flat of [with1, without, with1, without]) expect(nestedJson(flat)).toBe(plain(flat));
  });

  it('writes what JSON.stringify(toNested()) writes, for any field names and values', () => {
    const segment = fc.constantFrom('a', 'b', 'event', 'user', '0', '7', '10', '__proto__', '', '@t', 'é');
    const name = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('.'));
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(fc.oneof(fc.string(), fc.integer())),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { maxLength: 12 }), (entries) => {
        const flat = flatOf(entries);
        expect(nestedJson(flat)).toBe(plain(flat));
        expect(nestedJson(flat)).toBe(plain(flat));
      }),
      { numRuns: 2000 },
    );
  });

  it('with one field more writes what the object spread with it writes, whether it has the field or not', () => {
    const segment = fc.constantFrom('a', 'event', 'id', '0', '__proto__', '');
    const name = fc.array(segment, { minLength: 1, maxLength: 2 }).map((s) => s.join('.'));
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, value), { maxLength: 8 }),
        name,
        value,
        (entries, extraName, extra) => {
          const flat = flatOf(entries);
          // the spread it stands for: a field defined again keeps its place ("__proto__" an own field too)
          const spread = flatOf([...Object.entries(flat), [extraName, extra]]);
          expect(nestedJson(flat, [extraName, extra])).toBe(plain(spread));
          expect(nestedJson(flat, [extraName, extra])).toBe(plain(spread));
        },
      ),
      { numRuns: 2000 },
    );
    // an alert's line: its fields and then its id
    const alert = { 'rule.id': 'r', 'event.kind': 'alert', 'tuxwatch.alert.count': 2 };
    expect(nestedJson(alert, ['event.id', 'x'])).toBe(plain({ ...alert, 'event.id': 'x' }));
  });
});
