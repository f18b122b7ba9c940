import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteralScanner } from '../../../src/detect/literal-scanner';
import { FieldScanner } from '../../../src/detect/rule-index';
import { EventView } from '../../../src/detect/sigma/event-view';
import { ecsSlot } from '../../../src/detect/sigma/field-map';

const SLOT = ecsSlot('event.action');
const LITERALS = ['ssh-login', 'fail', 'kk', 'i', 'x'];
const TARGETS = LITERALS.map((_, i) => i);

/** What a field scanner must mark: the targets LiteralScanner finds in each lowercased value. */
function expected(values: readonly string[]): boolean[] {
  const stamp = new Int32Array(LITERALS.length);
  const scanner = new LiteralScanner(LITERALS, TARGETS);
  for (const v of values) scanner.scan(v.toLowerCase(), stamp, 1);
  return [...stamp].map((s) => s === 1);
}

describe('FieldScanner', () => {
  it('marks what a scan of the lowercased field marks, for values met before or not, short or long', () => {
    const field = new FieldScanner(SLOT, new LiteralScanner(LITERALS, TARGETS), LITERALS.length);
    const view = new EventView({ '@timestamp': '', 'event.original': '' });
    // a small vocabulary, so that values come back: cased differently, and with characters whose lowercase
    // is ASCII (U+0130 -> 'i̇', the Kelvin sign -> 'k')
    const word = fc.constantFrom('SSH-Login', 'ssh-login', 'Failure', 'K\u212a', '\u0130', 'x', '', 'é');
    const value = fc.oneof(
      fc.array(word, { maxLength: 4 }).map((w) => w.join('')),
      fc.array(word, { minLength: 30, maxLength: 40 }).map((w) => w.join(' ')),
    );
    let gen = 0;
    const stamp = new Int32Array(LITERALS.length);
    fc.assert(
      fc.property(fc.oneof(value, fc.array(value, { maxLength: 3 })), (v) => {
        const values = typeof v === 'string' ? [v] : v;
        view.reset({ '@timestamp': '', 'event.original': '', 'event.action': v });
        field.mark(view, stamp, ++gen);
        const got = [...stamp].map((s) => s === gen);
        expect(got, JSON.stringify(v)).toEqual(expected(values.filter((s) => s !== '')));
      }),
      { numRuns: 5_000 },
    );
  });
});
