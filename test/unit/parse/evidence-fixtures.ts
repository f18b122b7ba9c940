import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import type { ParseContext, Parser } from '../../../src/domain/parser';
import { corpusPath } from '../../support/corpus';

/** test/fixtures/<kind>/<name> */
export const fixture = (kind: string, name: string): string =>
  readFileSync(resolve(__dirname, '..', '..', 'fixtures', kind, name), 'utf8');

/** ../shared/corpus/web01/<name> */
export const web01 = (name: string): string => readFileSync(corpusPath('web01', name), 'utf8');

export const UTC_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The clock a snapshot was observed at (a file's mtime in scan, a Kafka timestamp in serve). */
export const OBSERVED = new Date('2026-11-26T08:11:20.000Z');

export const context = (overrides: Partial<ParseContext> = {}): ParseContext => ({
  timezone: 'Europe/Berlin',
  now: OBSERVED,
  host: 'web01',
  ...overrides,
});

/** Parses and fails the test with the parser's reason when the record is rejected. */
export function events(parser: Parser, text: string, ctx: ParseContext = context()): SiemEvent[] {
  const outcome = parser.parse(text, ctx);
  if (!outcome.ok) throw new Error(`${parser.kind} rejected the fixture: ${outcome.reason}`);
  for (const e of outcome.events) {
    expect(e['@timestamp']).toMatch(UTC_ISO);
    expect(e['event.kind']).toBe('event');
    // ECS documents keep the event.module they name (the `ecs` parser only fills a missing one)
    if (parser.kind !== 'ecs') expect(e['event.module']).toBe(parser.kind);
    else expect(typeof e['event.module']).toBe('string');
    expect(typeof e['event.dataset']).toBe('string');
    expect(typeof e['host.name']).toBe('string');
    expect(e['event.original'].length).toBeGreaterThan(0);
  }
  return [...outcome.events];
}

/** The one event whose field equals value. */
export function only(list: readonly SiemEvent[], field: string, value: unknown): SiemEvent {
  const found = list.filter((e) => e[field] === value);
  if (found.length !== 1) throw new Error(`${found.length} events with ${field} = ${String(value)}`);
  return found[0]!;
}

export function reasonOf(parser: Parser, text: string, ctx: ParseContext = context()): string {
  const outcome = parser.parse(text, ctx);
  if (outcome.ok) throw new Error(`${parser.kind} accepted what it should reject`);
  expect(outcome.reason.length).toBeGreaterThan(0);
  return outcome.reason;
}
