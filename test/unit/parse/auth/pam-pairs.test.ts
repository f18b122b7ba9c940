import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authentication, EVENT_COUNT, optional, remoteHost } from '../../../../src/parse/auth/facts';
import { pamFacts } from '../../../../src/parse/auth/pam';
import { corpusLines } from '../../../support/corpus';

/** What pam.ts read from a failure record before it scanned the pairs by hand: every `(\w+)=(\S*)` match. */
function reference(message: string) {
  const m = /^(?:(\d+) more )?authentication failures?;(.*)$/s.exec(message)!;
  const kv: Record<string, string> = {};
  for (const [, name, value] of m[2]!.matchAll(/(\w+)=(\S*)/g)) kv[name!] = value!;
  const facts = Object.assign(
    authentication('failure', 'pam-authentication-failure'),
    optional({
      'user.name': kv.user,
      'source.user.name': kv.ruser,
      'process.tty.name': kv.tty?.replace(/^\/dev\//, ''),
    }),
    remoteHost(kv.rhost),
    m[1] === undefined ? {} : { [EVENT_COUNT]: Number(m[1]) },
    { 'tuxwatch.pam.module': 'pam_unix' },
  );
  return Object.entries(facts);
}

function agrees(message: string): void {
  const facts = pamFacts({ module: 'pam_unix', message });
  expect(Object.entries(facts!), JSON.stringify(message)).toEqual(reference(message));
}

/** Pairs as pam_unix writes them, and the odd ones: names glued to other text, `=` runs, odd white space. */
const name = fc.constantFrom(
  'user',
  'ruser',
  'tty',
  'rhost',
  'logname',
  'uid',
  'xuser',
  'user_',
  'r-host',
  '',
);
const value = fc.oneof(
  fc.constantFrom('', 'root', '/dev/pts/0', 'ssh', '10.0.0.1', 'a=b', '::1', 'web01.example', '=x', 'é'),
  fc.string({ maxLength: 6 }),
);
const gap = fc.constantFrom(' ', '  ', '\t', '\u00a0', '', '=', ' =', '-', ';');
const pairs = fc
  .array(fc.tuple(gap, name, fc.constantFrom('=', '=', '=', '==', ''), value), { maxLength: 9 })
  .map((ps) => ps.map((p) => p.join('')).join(''));

describe("pam_unix failure records' pairs", () => {
  it('read as the pattern they replace read them, with the same facts in the same order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'authentication failure;',
          '3 more authentication failures;',
          '1 more authentication failure;',
        ),
        pairs,
        (head, p) => agrees(head + p),
      ),
      { numRuns: 20_000 },
    );
  });

  it('for every failure record of the corpus', () => {
    let read = 0;
    for (const line of [
      ...corpusLines('loghub', 'Linux_2k.log'),
      ...corpusLines('loghub', 'OpenSSH_2k.log'),
    ]) {
      const at = line.indexOf('authentication failure;');
      if (at < 0) continue;
      agrees(line.slice(at));
      read++;
    }
    expect(read).toBeGreaterThan(500);
  });
});
