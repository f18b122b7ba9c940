import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SiemEvent } from '../../../src/domain/event';
import type { InputKind } from '../../../src/domain/input-kind';
import { parseRecord } from '../../../src/parse/parse-record';
import { corpusPath } from '../../support/corpus';

export const fixturePath = (...parts: string[]): string =>
  resolve(__dirname, '..', '..', 'fixtures', ...parts);

export interface ParseOptions {
  readonly kind: InputKind;
  readonly host?: string;
  readonly timezone?: string;
  /** when the record was observed: the @timestamp of snapshot events (ss, lsof) */
  readonly at?: string;
}

/** One record through the real parse stage; frozen, so an enricher that mutates its input throws. */
export function parse(text: string, options: ParseOptions): SiemEvent[] {
  const r = parseRecord(
    { text, origin: { type: 'file', path: '<test>', line: 1 }, kind: options.kind, host: options.host },
    { timezone: options.timezone ?? 'UTC', maxRecordBytes: 1 << 20 },
    new Date(options.at ?? '2026-11-26T08:13:49.660Z'),
  );
  if (!r.ok) throw new Error(`does not parse: ${r.reason}`);
  return r.events.map((e) => Object.freeze({ ...e }));
}

export const readCorpus = (...parts: string[]): string => readFileSync(corpusPath(...parts), 'utf8');
export const readFixture = (...parts: string[]): string => readFileSync(fixturePath(...parts), 'utf8');

/** The web01 AIDE report's events, by path. */
export function web01Aide(): Map<string, SiemEvent> {
  const events = parse(readCorpus('web01', 'aide-report.json'), {
    kind: 'aide',
    host: 'web01',
    timezone: 'Europe/Berlin',
  });
  return new Map(events.map((e) => [e['file.path'] as string, e]));
}

/** A flat event for cases no real record shows (fields as the parsers write them). */
export const event = (fields: Record<string, SiemEvent[string]>): SiemEvent =>
  Object.freeze({ '@timestamp': '2026-11-26T08:11:19.000Z', 'event.original': '', ...fields }) as SiemEvent;
