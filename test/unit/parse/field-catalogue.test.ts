import { dirname, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SiemEvent } from '../../../src/domain/event';
import { coversField, type EnrichedFields, type FieldSet } from '../../../src/domain/field-catalogue';
import type { InputKind } from '../../../src/domain/input-kind';
import type { RawRecord, RecordOrigin } from '../../../src/domain/raw-record';
import { AUTH_SILENCE_FIELDS, AuthActivity } from '../../../src/enrich/auth-activity';
import { createEnrichers, InMemoryHostState } from '../../../src/enrich';
import { readRecords } from '../../../src/ingest/files/file-records';
import { expandInputs } from '../../../src/ingest/files/input-walk';
import { AuditStream } from '../../../src/parse/audit/audit-stream';
import { parseRecord } from '../../../src/parse/parse-record';
import { isWholeDocumentHead, parserFor, registeredKinds } from '../../../src/parse/registry';

/**
 * Every parser's field catalogue against what it really writes on the real evidence of this repository
 * (test/fixtures, samples): nothing it writes is missing from its catalogue (or `rules validate` would warn
 * about rules that can fire), and nothing listed is never written (or it would stay silent about rules
 * that cannot). The same for what the enrichers add.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const EVIDENCE = ['test/fixtures', 'samples'].map((d) => resolve(ROOT, d));
/** scenario scripts and notes beside the evidence */
const NOT_EVIDENCE = /\.(?:md|sh|py)$/;
/**
 * Snapshots carry no time of their own: the files of one directory are read as successive observations
 * in name order, a minute apart (app03-ss-tlnp-1, -2, -3 were taken one after another), so a host's
 * listener baseline forms as it would in `scan` over files written at those times.
 */
const FIRST_OBSERVATION = Date.parse('2026-11-26T08:00:00Z');

interface Seen {
  /** kind → dataset → field → where first seen */
  readonly written: Map<InputKind, Map<string, Map<string, string>>>;
  /** enricher name → dataset → field → where first seen */
  readonly added: Map<string, Map<string, Map<string, string>>>;
  /** additions an enricher made to an event that had none of its `requires` */
  readonly unrequired: string[];
}

function note(map: Map<string, Map<string, string>>, dataset: string, field: string, at: string): void {
  let fields = map.get(dataset);
  if (fields === undefined) map.set(dataset, (fields = new Map()));
  if (!fields.has(field)) fields.set(field, at);
}

async function* records(path: string): AsyncGenerator<RawRecord> {
  // gzip-compressed evidence (audit.log.gz) is read through, as scan reads it
  const options = { maxRecordBytes: 1 << 20, isWholeDocument: isWholeDocumentHead };
  for await (const { record } of readRecords(path, options)) yield record;
}

async function observe(): Promise<Seen> {
  const seen: Seen = { written: new Map(), added: new Map(), unrequired: [] };
  const files = (await expandInputs(EVIDENCE)).filter((f) => !NOT_EVIDENCE.test(f.path));
  // one host state per evidence directory: its files are one host's story (ss snapshots one after another)
  const enrichersByDir = new Map<string, ReturnType<typeof createEnrichers>>();
  const filesInDir = new Map<string, number>();
  for (const file of files) {
    const dir = dirname(file.path);
    const index = filesInDir.get(dir) ?? 0;
    filesInDir.set(dir, index + 1);
    const observedAt = new Date(FIRST_OBSERVATION + index * 60_000);
    let enrichers = enrichersByDir.get(dir);
    if (enrichers === undefined)
      enrichersByDir.set(dir, (enrichers = createEnrichers({ state: new InMemoryHostState() })));
    const take = (kind: InputKind, events: readonly SiemEvent[], at: string): void => {
      let byDataset = seen.written.get(kind);
      if (byDataset === undefined) seen.written.set(kind, (byDataset = new Map()));
      for (const event of events) {
        const dataset = String(event['event.dataset']);
        for (const [field, value] of Object.entries(event))
          if (value !== undefined) note(byDataset, dataset, field, at);
        let current: SiemEvent = event;
        for (const enricher of enrichers!) {
          const out = enricher.enrich(current);
          const added = Object.keys(out).filter((k) => out[k] !== undefined && current[k] === undefined);
          if (added.length > 0) {
            let map = seen.added.get(enricher.fields.name);
            if (map === undefined) seen.added.set(enricher.fields.name, (map = new Map()));
            for (const f of added) note(map, dataset, f, at);
            if (!enricher.fields.requires.some((r) => current[r] !== undefined))
              seen.unrequired.push(`${enricher.fields.name} at ${at}`);
          }
          current = out;
        }
      }
    };
    // audit records are grouped into events across lines, as scan does: one stream per file
    const audit = new AuditStream<RecordOrigin>();
    const where = relative(ROOT, file.path);
    for await (const record of records(file.path)) {
      const result = parseRecord(record, { timezone: 'UTC', maxRecordBytes: 1 << 20 }, observedAt, audit);
      const line = record.origin.type === 'file' ? record.origin.line : 0;
      if (result.ok) take(result.kind, result.events, `${where}:${line}`);
    }
    take('auditd', audit.flush(), `${where} (end)`);
  }
  return seen;
}

const catalogued = (sets: readonly FieldSet[], dataset: string, field: string): boolean =>
  sets.some((s) => (s.datasets[dataset] ?? []).some((p) => coversField(p, field)));

describe('field catalogues against the real evidence', () => {
  let seen: Seen;
  beforeAll(async () => {
    seen = await observe();
  }, 120_000);

  it('every parser with a catalogue has evidence here', () => {
    for (const kind of registeredKinds())
      expect(seen.written.has(kind), `no evidence for ${kind}`).toBe(true);
  });

  it('nothing a parser writes is missing from its catalogue', () => {
    const missing: string[] = [];
    for (const [kind, byDataset] of seen.written) {
      const fields = parserFor(kind)!.fields;
      if (fields === 'as-written') continue;
      for (const [dataset, written] of byDataset)
        for (const [field, at] of written)
          if (!catalogued(fields, dataset, field))
            missing.push(`${kind} writes ${field} into ${dataset} (${at})`);
    }
    expect(missing, 'add these to the parser’s field catalogue').toEqual([]);
  });

  it('every field a catalogue lists is written by a parser using it', () => {
    const users = new Map<FieldSet, InputKind[]>();
    for (const kind of registeredKinds()) {
      const fields = parserFor(kind)!.fields;
      if (fields !== 'as-written')
        for (const set of fields) users.set(set, [...(users.get(set) ?? []), kind]);
    }
    const unseen: string[] = [];
    for (const [set, kinds] of users) {
      for (const [dataset, patterns] of Object.entries(set.datasets)) {
        for (const pattern of patterns) {
          const written = kinds.some((k) =>
            [...(seen.written.get(k)?.get(dataset)?.keys() ?? [])].some((f) => coversField(pattern, f)),
          );
          if (!written) unseen.push(`${set.name}: ${pattern} in ${dataset} (kinds ${kinds.join(', ')})`);
        }
      }
    }
    expect(unseen, 'no evidence writes these: add real evidence or drop them').toEqual([]);
  });

  it('the enrichers add what they declare, to events that have what they require, and all of it', () => {
    const declared = createEnrichers({ state: new InMemoryHostState() }).map((e) => e.fields);
    const problems = [...seen.unrequired.map((u) => `added without a required field: ${u}`)];
    for (const fields of declared) {
      const added = seen.added.get(fields.name) ?? new Map<string, Map<string, string>>();
      for (const [dataset, map] of added) {
        for (const [field, at] of map) {
          if (!inDatasets(fields, dataset)) problems.push(`${fields.name} enriched ${dataset} (${at})`);
          if (!fields.adds.some((p) => coversField(p, field)))
            problems.push(`${fields.name} added undeclared ${field} (${at})`);
        }
      }
      for (const field of fields.adds) {
        const shown = [...added.values()].some((m) => [...m.keys()].some((f) => coversField(field, f)));
        if (!shown) problems.push(`${fields.name}: no evidence shows ${field} added`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the service's health events carry exactly their catalogue", () => {
    const activity = new AuthActivity(60_000);
    activity.observe(
      [
        {
          '@timestamp': '2026-11-26T08:00:00.000Z',
          'event.original': 'x',
          'event.dataset': 'auth',
          'host.name': 'web01',
        },
      ],
      0,
    );
    const [event] = activity.silentHosts(120_000);
    expect(Object.keys(event!).sort()).toEqual([...AUTH_SILENCE_FIELDS.datasets['health']!].sort());
  });
});

const inDatasets = (fields: EnrichedFields, dataset: string): boolean =>
  fields.datasets.includes('*') || fields.datasets.includes(dataset);
