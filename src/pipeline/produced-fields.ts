import type { FieldSources } from '../detect/load/field-coverage';
import { coversField, type EnrichedFields, type FieldSet } from '../domain/field-catalogue';
import { AUTH_SILENCE_FIELDS } from '../enrich/auth-activity';
import { createEnrichers, InMemoryHostState } from '../enrich';
import { parserFor, registeredKinds } from '../parse/registry';

/** The service's own observations (auth-log silence), a source beside the input kinds. */
const SERVICE_SOURCE = 'tuxwatch';

/**
 * Where events' fields come from, as the stages declare it: each input kind's parser catalogue (parsers
 * that keep a document's fields as written, `ecs`, count for no field in particular), what the enrichers
 * add to the events they apply to, and the service's own health events.
 */
export function producedFields(): FieldSources {
  const catalogues = new Map<string, readonly FieldSet[]>();
  for (const kind of registeredKinds()) {
    const fields = parserFor(kind)?.fields;
    if (fields !== undefined && fields !== 'as-written') catalogues.set(kind, fields);
  }
  catalogues.set(SERVICE_SOURCE, [AUTH_SILENCE_FIELDS]);
  const enriched = createEnrichers({ state: new InMemoryHostState() }).map((e) => e.fields);
  return new DeclaredFields(catalogues, enriched);
}

class DeclaredFields implements FieldSources {
  readonly names: readonly string[];
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly catalogues: ReadonlyMap<string, readonly FieldSet[]>,
    private readonly enriched: readonly EnrichedFields[],
  ) {
    this.names = [...catalogues.keys()];
  }

  writes(source: string, dataset: string, field: string): boolean {
    const key = `${source}\u0000${dataset}\u0000${field}`;
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer =
        this.direct(source, dataset, field) ||
        this.enriched.some(
          (e) =>
            (e.datasets.includes('*') || e.datasets.includes(dataset)) &&
            e.adds.some((p) => coversField(p, field)) &&
            e.requires.some((r) => this.direct(source, dataset, r)),
        );
      this.answers.set(key, answer);
    }
    return answer;
  }

  private direct(source: string, dataset: string, field: string): boolean {
    const sets = this.catalogues.get(source) ?? [];
    return sets.some((s) => (s.datasets[dataset] ?? []).some((p) => coversField(p, field)));
  }
}
