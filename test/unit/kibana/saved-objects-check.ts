/**
 * Structural checks of a Kibana saved-objects NDJSON file (what `POST /api/saved_objects/_import` takes),
 * against the fields tuxwatch alerts really have. No Kibana needed: this checks what can be checked offline
 * (shape, references, field names and types, JSON-in-strings, KQL plausibility); whether Kibana renders the
 * objects is only known on a real Kibana.
 *
 * Every check returns problems as strings ("<type>:<id>: <what>") instead of throwing, so that a broken copy
 * of the file can be checked for the exact problem it carries.
 */
import { buildAlert, ENTITY_FIELDS } from '../../../src/alert/build-alert';
import { alertIndexTemplate } from '../../../src/alert/sinks/alert-index-template';
import { attributeSchemaProblems } from './kibana-attribute-schemas';

// ------------------------------------------------------------------------------------------------------
// The fields of an alert document
// ------------------------------------------------------------------------------------------------------

export interface FieldInfo {
  /** Elasticsearch type; `keyword` for fields mapped only by the `strings_as_keyword` dynamic template */
  readonly type: string;
  /** can be queried (KQL): not `index: false` */
  readonly searchable: boolean;
  /** can be sorted and aggregated on (terms, date histogram): doc values and not `text` */
  readonly aggregatable: boolean;
  readonly from: 'template' | 'dynamic template';
}
export type FieldCatalog = ReadonlyMap<string, FieldInfo>;

interface Mapping {
  type?: string;
  index?: boolean;
  doc_values?: boolean;
  properties?: Record<string, Mapping>;
}
interface TemplateShape {
  template: {
    mappings: {
      properties: Record<string, Mapping>;
      dynamic_templates?: Record<string, { match_mapping_type?: string; mapping: Mapping }>[];
    };
  };
}

/** The fields every alert carries (CONTRACT §2), read off an alert built from a minimal detection. */
export function requiredAlertFields(): string[] {
  const alert = buildAlert(
    {
      rule: { id: 'r', uuid: 'u', title: 't', level: 'critical', tags: [], file: 'r.yml', alertFields: [] },
      event: { '@timestamp': '2026-01-01T00:00:00.000Z', 'event.original': 'x' },
    },
    // made a minute after the event: an event time far from it would add tuxwatch.event.time_out_of_range
    new Date('2026-01-01T00:01:00.000Z'),
  );
  return Object.keys(alert.fields);
}

/**
 * Fields of `tuxwatch-alerts-*`: every leaf of the index template's `properties`, plus the fields an alert
 * document carries (required fields and ENTITY_FIELDS) that only the `strings_as_keyword` dynamic template
 * maps.
 */
export function alertFieldCatalog(template: Record<string, unknown> = alertIndexTemplate()): FieldCatalog {
  const mappings = (template as unknown as TemplateShape).template.mappings;
  const catalog = new Map<string, FieldInfo>();
  const walk = (props: Record<string, Mapping>, prefix: string): void => {
    for (const [name, m] of Object.entries(props)) {
      const path = prefix + name;
      if (m.properties) walk(m.properties, `${path}.`);
      if (m.type)
        catalog.set(path, {
          type: m.type,
          searchable: m.index !== false,
          aggregatable: m.type !== 'text' && m.doc_values !== false,
          from: 'template',
        });
    }
  };
  walk(mappings.properties, '');
  const stringsAsKeyword = mappings.dynamic_templates
    ?.map((t) => t['strings_as_keyword'])
    .find((t) => t?.match_mapping_type === 'string');
  if (stringsAsKeyword?.mapping.type) {
    const type = stringsAsKeyword.mapping.type;
    for (const f of [...requiredAlertFields(), ...ENTITY_FIELDS])
      if (!catalog.has(f))
        catalog.set(f, { type, searchable: true, aggregatable: type !== 'text', from: 'dynamic template' });
  }
  return catalog;
}

const NUMERIC = new Set([
  'long',
  'integer',
  'short',
  'byte',
  'double',
  'float',
  'half_float',
  'scaled_float',
]);

// ------------------------------------------------------------------------------------------------------
// KQL
// ------------------------------------------------------------------------------------------------------

/** The query with every double-quoted string replaced by `""`, or undefined when a quote is not closed. */
function withoutStrings(query: string): string | undefined {
  let out = '';
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === '\\') {
      out += query.slice(i, i + 2);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < query.length && query[j] !== '"') j += query[j] === '\\' ? 2 : 1;
      if (j >= query.length) return undefined;
      out += '""';
      i = j;
    } else out += c;
  }
  return out;
}

/**
 * Syntactic plausibility of a KQL query (not a full KQL parser): quotes closed, parentheses and braces
 * balanced, no dangling operator, no field without a value.
 */
export function kqlSyntaxProblems(query: string): string[] {
  if (query.trim() === '') return [];
  const bare = withoutStrings(query);
  if (bare === undefined) return [`unbalanced double quote in KQL ${JSON.stringify(query)}`];
  const problems: string[] = [];
  const stack: string[] = [];
  for (const c of bare) {
    if (c === '(' || c === '{') stack.push(c);
    else if (c === ')' || c === '}') {
      const open = stack.pop();
      if (open !== (c === ')' ? '(' : '{')) {
        problems.push(`unbalanced '${c}' in KQL ${JSON.stringify(query)}`);
        break;
      }
    }
  }
  if (stack.length) problems.push(`unclosed '${stack.at(-1)}' in KQL ${JSON.stringify(query)}`);
  const t = bare.trim();
  if (/^(and|or)\b/i.test(t)) problems.push(`KQL starts with a boolean operator: ${JSON.stringify(query)}`);
  if (/(\b(and|or|not)|:|<|>|<=|>=)$/i.test(t))
    problems.push(`KQL ends with an operator: ${JSON.stringify(query)}`);
  if (/:\s*(\)|\b(and|or)\b)/i.test(t))
    problems.push(`KQL has a field without a value: ${JSON.stringify(query)}`);
  return problems;
}

/** Field names a KQL query compares (`field : value`, `field >= value`), wildcards kept. */
export function kqlFields(query: string): string[] {
  const bare = withoutStrings(query) ?? query;
  const fields: string[] = [];
  for (const m of bare.matchAll(/(?<![\w.@*-])([A-Za-z_@][\w.@*-]*)\s*(?::|<=|>=|<|>)/g))
    if (!/^(and|or|not)$/i.test(m[1]!)) fields.push(m[1]!);
  return fields;
}

// ------------------------------------------------------------------------------------------------------
// Saved objects
// ------------------------------------------------------------------------------------------------------

export interface Reference {
  type: string;
  id: string;
  name: string;
}
export interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references: Reference[];
  coreMigrationVersion?: string;
  typeMigrationVersion?: string;
  managed?: boolean;
  [key: string]: unknown;
}

/** Types this file may hold, with the `typeMigrationVersion` real Kibana 9.x exports carry (kibana/README.md). */
export const KIBANA9_TYPE_MIGRATION_VERSIONS: Readonly<Record<string, string>> = {
  'index-pattern': '8.0.0',
  search: '10.5.0',
  dashboard: '10.2.0',
  lens: '8.9.0',
};
/** `coreMigrationVersion` of every Kibana 8.8+ and 9.x export. */
export const KIBANA9_CORE_MIGRATION_VERSION = '8.8.0';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the NDJSON text: one JSON object per line, no blank lines, a final newline. */
export function parseSavedObjects(text: string): { objects: SavedObject[]; problems: string[] } {
  const problems: string[] = [];
  const objects: SavedObject[] = [];
  if (!text.endsWith('\n')) problems.push('the file does not end with a newline');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === '') return void problems.push(`line ${i + 1}: blank line`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      return void problems.push(`line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    if (!isObject(value)) return void problems.push(`line ${i + 1}: not a JSON object`);
    objects.push(value as SavedObject);
  });
  return { objects, problems };
}

/** Context of one object's checks: where problems are reported and which fields exist. */
class Checker {
  readonly problems: string[] = [];
  constructor(
    readonly catalog: FieldCatalog,
    readonly byKey: ReadonlyMap<string, SavedObject>,
  ) {}

  report(where: string, message: string): void {
    this.problems.push(`${where}: ${message}`);
  }

  json(where: string, what: string, text: unknown): unknown {
    if (typeof text !== 'string') {
      this.report(where, `${what} is not a JSON string`);
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      this.report(where, `${what} does not parse: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The field exists (a `*` matches any run of characters) and, when asked, is searchable/aggregatable/typed. */
  field(
    where: string,
    use: string,
    name: unknown,
    need: { search?: boolean; agg?: boolean; types?: string[] } = {},
  ) {
    if (typeof name !== 'string' || name === '') return this.report(where, `${use}: no field name`);
    if (name.includes('*')) {
      const re = new RegExp(`^${name.split('*').map(escapeRegExp).join('.*')}$`);
      if (![...this.catalog.keys()].some((f) => re.test(f)))
        this.report(where, `${use}: field pattern ${name} matches no field of the alert index template`);
      return;
    }
    const info = this.catalog.get(name);
    if (!info) return this.report(where, `${use}: unknown field ${name} (not in the alert index template)`);
    if (need.search && !info.searchable)
      this.report(where, `${use}: field ${name} is not indexed (not searchable)`);
    if (need.agg && !info.aggregatable)
      this.report(where, `${use}: field ${name} (${info.type}) cannot be sorted or aggregated on`);
    if (need.types && !need.types.includes(info.type))
      this.report(where, `${use}: field ${name} is ${info.type}, needs ${need.types.join(' or ')}`);
  }

  kql(where: string, use: string, query: unknown): void {
    if (!isObject(query)) return this.report(where, `${use}: no query object`);
    if (query['language'] !== 'kuery') return this.report(where, `${use}: language is not kuery`);
    if (typeof query['query'] !== 'string') return this.report(where, `${use}: query is not a string`);
    for (const p of kqlSyntaxProblems(query['query'])) this.report(where, `${use}: ${p}`);
    for (const f of kqlFields(query['query'])) this.field(where, `${use} (KQL)`, f, { search: true });
  }

  filters(where: string, use: string, filters: unknown): void {
    if (!Array.isArray(filters)) return this.report(where, `${use}: filters is not an array`);
    for (const f of filters) {
      if (!isObject(f)) {
        this.report(where, `${use}: a filter is not an object`);
        continue;
      }
      const meta = isObject(f['meta']) ? f['meta'] : {};
      if (typeof meta['key'] === 'string') this.field(where, `${use} filter`, meta['key'], { search: true });
      const q = isObject(f['query']) ? f['query'] : {};
      for (const clause of ['match_phrase', 'match', 'term', 'range', 'exists'])
        if (isObject(q[clause]))
          for (const k of clause === 'exists' ? [q[clause]['field']] : Object.keys(q[clause]))
            this.field(where, `${use} filter`, k, { search: true });
    }
  }

  /** The reference exists in the object's list, with the type asked, and resolves to an object in the file. */
  reference(where: string, refs: readonly Reference[], name: string, type: string): void {
    const ref = refs.find((r) => r.name === name);
    if (!ref) return this.report(where, `no reference named ${name}`);
    if (ref.type !== type) this.report(where, `reference ${name} is a ${ref.type}, expected ${type}`);
  }

  resolves(where: string, ref: Reference, label = `reference ${ref.name}`): void {
    if (!this.byKey.has(`${ref.type}:${ref.id}`))
      this.report(where, `${label} points to ${ref.type}:${ref.id}, which is not in the file`);
  }

  /** Lens attributes (a `lens` saved object's, or a by-value Lens panel's). */
  lens(where: string, attributes: unknown, refs: readonly Reference[]): void {
    if (!isObject(attributes)) return this.report(where, 'Lens attributes are not an object');
    if (typeof attributes['visualizationType'] !== 'string')
      this.report(where, 'Lens attributes have no visualizationType');
    let state = attributes['state'];
    if (typeof state === 'string') state = this.json(where, 'Lens state', state);
    if (!isObject(state)) return this.report(where, 'Lens state is not an object');
    this.kql(where, 'Lens query', state['query']);
    this.filters(where, 'Lens', state['filters'] ?? []);
    const ds = isObject(state['datasourceStates']) ? state['datasourceStates'] : {};
    const formBased = isObject(ds['formBased'])
      ? ds['formBased']
      : isObject(ds['indexpattern'])
        ? ds['indexpattern']
        : {};
    const layers = isObject(formBased['layers']) ? formBased['layers'] : {};
    if (Object.keys(layers).length === 0) this.report(where, 'Lens state has no form-based layer');
    const columnsOf = new Map<string, Record<string, unknown>>();
    for (const [layerId, layer] of Object.entries(layers)) {
      const at = `${where} layer ${layerId}`;
      if (!isObject(layer) || !isObject(layer['columns'])) {
        this.report(at, 'layer has no columns');
        continue;
      }
      const columns = layer['columns'];
      columnsOf.set(layerId, columns);
      this.reference(at, refs, `indexpattern-datasource-layer-${layerId}`, 'index-pattern');
      const order = Array.isArray(layer['columnOrder']) ? layer['columnOrder'] : [];
      if ([...order].sort().join() !== Object.keys(columns).sort().join())
        this.report(at, 'columnOrder does not list exactly the layer columns');
      for (const [columnId, column] of Object.entries(columns))
        this.lensColumn(`${at} column ${columnId}`, column, columns);
    }
    const vis = state['visualization'];
    if (!isObject(vis)) return this.report(where, 'Lens visualization is not an object');
    const visLayers = Array.isArray(vis['layers']) ? vis['layers'] : [vis];
    for (const l of visLayers) {
      if (!isObject(l) || (l['layerType'] !== undefined && l['layerType'] !== 'data')) continue;
      const layerId = l['layerId'];
      const columns = typeof layerId === 'string' ? columnsOf.get(layerId) : undefined;
      if (!columns) {
        this.report(where, `visualization layer ${String(layerId)} is not a datasource layer`);
        continue;
      }
      const accessors = [
        ...(Array.isArray(l['accessors']) ? l['accessors'] : []),
        ...Object.entries(l)
          .filter(([k]) => /Accessor$/.test(k))
          .map(([, v]) => v),
      ];
      for (const a of accessors)
        if (typeof a !== 'string' || !(a in columns))
          this.report(
            where,
            `visualization layer ${layerId} uses column ${String(a)}, which the layer does not have`,
          );
    }
  }

  lensColumn(where: string, column: unknown, columns: Record<string, unknown>): void {
    if (!isObject(column)) return this.report(where, 'column is not an object');
    const op = column['operationType'];
    const field = column['sourceField'];
    switch (op) {
      case 'count':
        if (field !== '___records___') this.field(where, 'count', field);
        break;
      case 'date_histogram':
        this.field(where, 'date_histogram', field, { agg: true, types: ['date', 'date_nanos'] });
        break;
      case 'terms':
      case 'unique_count':
      case 'last_value':
        this.field(where, String(op), field, { agg: true });
        break;
      case 'sum':
      case 'average':
      case 'median':
      case 'min':
      case 'max':
      case 'percentile':
        this.field(where, String(op), field, { agg: true, types: [...NUMERIC] });
        break;
      case 'formula':
      case 'math':
      case 'static_value':
      case 'time_range':
        break;
      default:
        if (field !== undefined) this.field(where, String(op), field, { agg: true });
    }
    const params = isObject(column['params']) ? column['params'] : {};
    const orderBy = isObject(params['orderBy']) ? params['orderBy'] : undefined;
    if (orderBy?.['type'] === 'column' && !(String(orderBy['columnId']) in columns))
      this.report(where, `orders by column ${String(orderBy['columnId'])}, which the layer does not have`);
    if (column['filter'] !== undefined) this.kql(where, 'column filter', column['filter']);
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VERSION = /^\d+\.\d+\.\d+$/;
const GRID_COLUMNS = 48;

/** Every problem of the NDJSON text, checked against the alert fields; [] when the file is sound. */
export function checkSavedObjects(text: string, catalog: FieldCatalog = alertFieldCatalog()): string[] {
  const { objects, problems } = parseSavedObjects(text);
  const byKey = new Map<string, SavedObject>();
  const typesOfId = new Map<string, string[]>();
  for (const o of objects) {
    byKey.set(`${String(o.type)}:${String(o.id)}`, o);
    typesOfId.set(String(o.id), [...(typesOfId.get(String(o.id)) ?? []), String(o.type)]);
  }
  for (const [id, types] of typesOfId)
    if (types.length > 1) problems.push(`id ${id} is not unique: used by ${types.join(', ')}`);

  const c = new Checker(catalog, byKey);
  for (const o of objects) checkObject(c, o);
  return [...problems, ...c.problems];
}

function checkObject(c: Checker, o: SavedObject): void {
  const where = `${String(o.type)}:${String(o.id)}`;
  if (typeof o.type !== 'string' || !(o.type in KIBANA9_TYPE_MIGRATION_VERSIONS))
    return c.report(where, `type ${String(o.type)} is not one this file may hold`);
  if (typeof o.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(o.id))
    c.report(where, 'id is not a fixed lower-case slug (needed for overwrite=true to be idempotent)');
  if (!isObject(o.attributes)) return c.report(where, 'attributes is not an object');
  if (!Array.isArray(o.references)) return c.report(where, 'references is not an array');
  for (const r of o.references) {
    if (
      !isObject(r) ||
      typeof r.type !== 'string' ||
      typeof r.id !== 'string' ||
      typeof r.name !== 'string'
    ) {
      c.report(where, `malformed reference ${JSON.stringify(r)}`);
      continue;
    }
    c.resolves(where, r);
  }
  const names = o.references.map((r) => r?.name);
  if (new Set(names).size !== names.length) c.report(where, 'reference names are not unique');
  if (o.coreMigrationVersion !== KIBANA9_CORE_MIGRATION_VERSION)
    c.report(
      where,
      `coreMigrationVersion ${String(o.coreMigrationVersion)}, expected ${KIBANA9_CORE_MIGRATION_VERSION}`,
    );
  if (typeof o.typeMigrationVersion !== 'string' || !VERSION.test(o.typeMigrationVersion))
    c.report(where, 'typeMigrationVersion missing or not x.y.z');
  else if (o.typeMigrationVersion !== KIBANA9_TYPE_MIGRATION_VERSIONS[o.type])
    c.report(
      where,
      `typeMigrationVersion ${o.typeMigrationVersion}, Kibana 9 exports ${o.type} as ${KIBANA9_TYPE_MIGRATION_VERSIONS[o.type]}`,
    );
  if (o.managed !== false)
    c.report(where, 'managed is not false (responders must be able to edit the objects)');
  if ('migrationVersion' in o)
    c.report(where, 'legacy migrationVersion (Kibana 9 exports typeMigrationVersion)');

  const a = o.attributes;
  if (typeof o.typeMigrationVersion === 'string')
    for (const p of attributeSchemaProblems(o.type, o.typeMigrationVersion, a)) c.report(where, p);
  if (typeof a['title'] !== 'string' || a['title'] === '') c.report(where, 'no title');
  switch (o.type) {
    case 'index-pattern':
      return checkDataView(c, where, a);
    case 'search':
      return checkSearch(c, where, a, o.references);
    case 'dashboard':
      return checkDashboard(c, where, a, o.references);
    case 'lens':
      return c.lens(where, a, o.references);
  }
}

function checkDataView(c: Checker, where: string, a: Record<string, unknown>): void {
  if (a['timeFieldName'] !== undefined)
    c.field(where, 'timeFieldName', a['timeFieldName'], { agg: true, types: ['date'] });
  for (const key of ['fieldAttrs', 'fieldFormatMap', 'runtimeFieldMap']) {
    const parsed = c.json(where, key, a[key] ?? '{}');
    if (parsed !== undefined && !isObject(parsed)) c.report(where, `${key} is not a JSON object`);
    if (isObject(parsed) && key !== 'runtimeFieldMap')
      for (const f of Object.keys(parsed)) c.field(where, key, f);
    if (isObject(parsed) && key === 'runtimeFieldMap' && Object.keys(parsed).length)
      c.report(where, 'runtime fields are not expected (the alert index template maps every field)');
  }
  for (const key of ['fields', 'sourceFilters']) {
    const parsed = c.json(where, key, a[key] ?? '[]');
    if (parsed !== undefined && !Array.isArray(parsed)) c.report(where, `${key} is not a JSON array`);
  }
}

function checkSearch(
  c: Checker,
  where: string,
  a: Record<string, unknown>,
  refs: readonly Reference[],
): void {
  if (!Array.isArray(a['columns']) || a['columns'].length === 0) c.report(where, 'no columns');
  else for (const col of a['columns']) c.field(where, 'column', col);
  if (!Array.isArray(a['sort'])) c.report(where, 'sort is not an array');
  else
    for (const s of a['sort']) {
      if (!Array.isArray(s) || s.length !== 2 || !['asc', 'desc'].includes(String(s[1])))
        c.report(where, `sort entry ${JSON.stringify(s)} is not [field, asc|desc]`);
      else c.field(where, 'sort', s[0], { agg: true });
    }
  const meta = a['kibanaSavedObjectMeta'];
  const source = c.json(where, 'searchSourceJSON', isObject(meta) ? meta['searchSourceJSON'] : undefined);
  if (!isObject(source)) return;
  if (typeof source['indexRefName'] !== 'string') c.report(where, 'searchSourceJSON has no indexRefName');
  else c.reference(where, refs, source['indexRefName'], 'index-pattern');
  c.kql(where, 'saved search query', source['query']);
  c.filters(where, 'saved search', source['filter'] ?? []);
}

function checkDashboard(
  c: Checker,
  where: string,
  a: Record<string, unknown>,
  refs: readonly Reference[],
): void {
  const meta = a['kibanaSavedObjectMeta'];
  const source = c.json(
    where,
    'dashboard searchSourceJSON',
    isObject(meta) ? meta['searchSourceJSON'] : undefined,
  );
  if (isObject(source)) {
    if (source['query'] !== undefined) c.kql(where, 'dashboard query', source['query']);
    c.filters(where, 'dashboard', source['filter'] ?? []);
  }
  const options = c.json(where, 'optionsJSON', a['optionsJSON'] ?? '{}');
  if (options !== undefined && !isObject(options)) c.report(where, 'optionsJSON is not a JSON object');
  const panels = c.json(where, 'panelsJSON', a['panelsJSON']);
  if (!Array.isArray(panels)) {
    if (panels !== undefined) c.report(where, 'panelsJSON is not a JSON array');
    return;
  }
  if (panels.length === 0) c.report(where, 'no panels');
  const seen = new Set<string>();
  const boxes: { id: string; x: number; y: number; w: number; h: number }[] = [];
  for (const p of panels) {
    if (!isObject(p) || typeof p['panelIndex'] !== 'string') {
      c.report(where, 'a panel has no panelIndex');
      continue;
    }
    const id = p['panelIndex'];
    const at = `${where} panel ${id}`;
    if (seen.has(id)) c.report(at, 'duplicate panelIndex');
    seen.add(id);
    const g = isObject(p['gridData']) ? p['gridData'] : {};
    const [x, y, w, h] = [g['x'], g['y'], g['w'], g['h']].map(Number) as [number, number, number, number];
    if (![x, y, w, h].every(Number.isInteger) || x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_COLUMNS)
      c.report(at, `gridData ${JSON.stringify(g)} is not inside the ${GRID_COLUMNS}-column grid`);
    else if (g['i'] !== id) c.report(at, 'gridData.i is not the panelIndex');
    else {
      for (const b of boxes)
        if (x < b.x + b.w && b.x < x + w && y < b.y + b.h && b.y < y + h)
          c.report(at, `overlaps panel ${b.id}`);
      boxes.push({ id, x, y, w, h });
    }
    const config = isObject(p['embeddableConfig']) ? p['embeddableConfig'] : {};
    const panelRefs = refs
      .filter((r) => r.name.startsWith(`${id}:`))
      .map((r) => ({ ...r, name: r.name.slice(id.length + 1) }));
    if (typeof p['panelRefName'] === 'string') {
      c.reference(at, panelRefs, p['panelRefName'], String(p['type']));
    } else if (p['type'] === 'lens' && isObject(config['attributes'])) {
      const inner = Array.isArray(config['attributes']['references'])
        ? (config['attributes']['references'] as Reference[])
        : [];
      for (const r of inner) c.resolves(at, r, `Lens reference ${r.name}`);
      const pairs = (rs: readonly Reference[]) =>
        rs
          .map((r) => `${r.name}=${r.type}:${r.id}`)
          .sort()
          .join();
      if (inner.length && pairs(inner) !== pairs(panelRefs))
        c.report(at, "the Lens attributes' references differ from the dashboard's references of this panel");
      // the dashboard's own references are what import checks and what Kibana injects into the panel
      c.lens(at, config['attributes'], panelRefs);
    } else
      c.report(
        at,
        `panel of type ${String(p['type'])} has neither panelRefName nor by-value Lens attributes`,
      );
    if (config['query'] !== undefined) c.kql(at, 'panel query', config['query']);
    if (config['filters'] !== undefined) c.filters(at, 'panel', config['filters']);
  }
  for (const r of refs) {
    const prefix = r.name.split(':')[0]!;
    if (!r.name.includes(':') || !seen.has(prefix))
      c.report(where, `reference ${r.name} belongs to no panel`);
  }
}
