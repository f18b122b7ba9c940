import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseRecord } from '../../../../src/parse/parse-record';

const FIXTURES = join(__dirname, '../../../fixtures/auth');

/** Lines of a fixture under test/fixtures/auth (see its README for where each comes from). */
export function fixtureLines(name: string): string[] {
  return readFileSync(join(FIXTURES, name), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
}

/** The one line of `fixture` whose text ends with `message` (exact: the message is the whole rest of the line). */
export function lineEndingWith(fixture: string, message: string): string {
  const found = fixtureLines(fixture).filter((l) => l.endsWith(message));
  if (found.length === 0) throw new Error(`no line of ${fixture} ends with: ${message}`);
  return found[0]!;
}

/** The first event of one syslog record, as `scan` would produce it. */
export function eventOf(line: string): Record<string, unknown> {
  const r = parseRecord(
    { text: line, origin: { type: 'file', path: 'auth.log', line: 0 } },
    { timezone: 'UTC', maxRecordBytes: 1 << 20 },
    new Date('2026-11-27T18:00:00Z'),
  );
  if (!r.ok) throw new Error(`${r.reason}: ${line}`);
  return r.events[0]! as Record<string, unknown>;
}

/** Checks an event has `expected` and none of the fields `expected` sets to undefined. */
export function expectFacts(line: string, expected: Record<string, unknown>): void {
  const event = eventOf(line);
  for (const [field, value] of Object.entries(expected))
    expect(event[field], `${field} of: ${line}`).toEqual(value);
}
