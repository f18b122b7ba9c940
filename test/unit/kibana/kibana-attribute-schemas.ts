/**
 * The attribute schemas Kibana validates saved objects against, for the types and versions
 * kibana/tuxwatch-saved-objects.ndjson holds, transcribed from Kibana's source (elastic/kibana, 9.x, read
 * with the search tool; kibana/README.md names the files):
 *
 * - `search` at typeMigrationVersion 10.5.0, i.e. model version 5 (a model version N is the virtual version
 *   10.N.0): `SCHEMA_SEARCH_MODEL_VERSION_5` of
 *   src/platform/plugins/shared/saved_search/server/saved_objects/schema_legacy.ts — the 8.8.0 base
 *   (`SCHEMA_SEARCH_BASE`) plus sampleSize (1), headerRowHeight (2), visContext (3), viewMode's patterns (4),
 *   density (5). An @kbn/config-schema object rejects keys it does not name.
 * - `dashboard` at 10.2.0, model version 2: `dashboardAttributesSchema` of
 *   src/platform/plugins/shared/dashboard/server/dashboard_saved_object/schema/v2/v2.ts, which extends v1's
 *   (schema/v1/v1.ts) with `unknowns: 'ignore'`: a key it does not name is dropped without a word, so it is
 *   reported here.
 * - `index-pattern` at 8.0.0 has no model-version schema (src/platform/plugins/shared/data_views/server/
 *   saved_objects/data_views.ts registers migrations only); its attributes are the `DataViewAttributes`
 *   interface of src/platform/plugins/shared/data_views/common/types.ts.
 */

/** What a value must be: a JSON type, a list of literals, or an object with its own fields. */
export type Shape =
  | 'string'
  | 'boolean'
  | 'number'
  | 'object'
  | 'string[]'
  | 'sort'
  | { readonly literal: readonly string[] }
  | { readonly fields: Readonly<Record<string, Field>> };
export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
}

const opt = (shape: Shape): Field => ({ shape });
const req = (shape: Shape): Field => ({ shape, required: true });

const SEARCH_MODEL_VERSION_5: Record<string, Field> = {
  title: req('string'),
  description: opt('string'),
  columns: opt('string[]'),
  // [[field, direction], …] or the legacy single [field, direction]
  sort: opt('sort'),
  grid: opt({ fields: { columns: opt('object') } }),
  rowHeight: opt('number'),
  rowsPerPage: opt('number'),
  hideChart: opt('boolean'),
  breakdownField: opt('string'),
  kibanaSavedObjectMeta: req({ fields: { searchSourceJSON: req('string') } }),
  isTextBasedQuery: opt('boolean'),
  usesAdHocDataView: opt('boolean'),
  timeRestore: opt('boolean'),
  timeRange: opt({ fields: { from: req('string'), to: req('string') } }),
  refreshInterval: opt({ fields: { pause: req('boolean'), value: req('number') } }),
  viewMode: opt({ literal: ['documents', 'patterns', 'aggregated'] }),
  hideAggregatedPreview: opt('boolean'),
  hits: opt('number'),
  version: opt('number'),
  sampleSize: opt('number'),
  headerRowHeight: opt('number'),
  visContext: opt('object'),
  density: opt({ literal: ['compact', 'expanded', 'normal'] }),
};

const DASHBOARD_MODEL_VERSION_2: Record<string, Field> = {
  title: req('string'),
  description: opt('string'),
  kibanaSavedObjectMeta: opt({ fields: { searchSourceJSON: opt('string') } }),
  timeRestore: opt('boolean'),
  timeFrom: opt('string'),
  timeTo: opt('string'),
  refreshInterval: opt({
    fields: { pause: req('boolean'), value: req('number'), display: opt('string'), section: opt('number') },
  }),
  controlGroupInput: opt('object'),
  panelsJSON: opt('string'),
  optionsJSON: opt('string'),
  hits: opt('number'),
  version: opt('number'),
};

const DATA_VIEW_ATTRIBUTES: Record<string, Field> = {
  title: req('string'),
  name: opt('string'),
  timeFieldName: opt('string'),
  fields: opt('string'),
  type: opt('string'),
  typeMeta: opt('string'),
  sourceFilters: opt('string'),
  fieldFormatMap: opt('string'),
  fieldAttrs: opt('string'),
  runtimeFieldMap: opt('string'),
  allowNoIndex: opt('boolean'),
  allowHidden: opt('boolean'),
};

/** Schema per `type@typeMigrationVersion`. */
export const KIBANA_ATTRIBUTE_SCHEMAS: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
  'search@10.5.0': SEARCH_MODEL_VERSION_5,
  'dashboard@10.2.0': DASHBOARD_MODEL_VERSION_2,
  'index-pattern@8.0.0': DATA_VIEW_ATTRIBUTES,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function shapeProblem(path: string, value: unknown, shape: Shape): string[] {
  if (typeof shape === 'object' && 'literal' in shape)
    return shape.literal.includes(value as string)
      ? []
      : [`${path} is not one of ${shape.literal.join(', ')}`];
  if (typeof shape === 'object')
    return isObject(value) ? objectProblems(path, value, shape.fields) : [`${path} is not an object`];
  switch (shape) {
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
        ? []
        : [`${path} is not a list of strings`];
    case 'sort': {
      const pair = (v: unknown) => Array.isArray(v) && v.length <= 2 && v.every((x) => typeof x === 'string');
      return Array.isArray(value) && (value.every(pair) || pair(value)) ? [] : [`${path} is not a sort list`];
    }
    case 'object':
      return isObject(value) ? [] : [`${path} is not an object`];
    default:
      return typeof value === shape ? [] : [`${path} is not a ${shape}`];
  }
}

function objectProblems(
  path: string,
  value: Record<string, unknown>,
  fields: Readonly<Record<string, Field>>,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(value))
    if (!(key in fields)) problems.push(`${path}.${key} is not in Kibana's schema`);
  for (const [key, field] of Object.entries(fields)) {
    if (value[key] === undefined) {
      if (field.required) problems.push(`${path}.${key} is required by Kibana's schema`);
    } else problems.push(...shapeProblem(`${path}.${key}`, value[key], field.shape));
  }
  return problems;
}

/** Problems of one object's attributes against Kibana's schema for its type and version. */
export function attributeSchemaProblems(
  type: string,
  typeMigrationVersion: string,
  attributes: unknown,
): string[] {
  const schema = KIBANA_ATTRIBUTE_SCHEMAS[`${type}@${typeMigrationVersion}`];
  if (!schema) return [`no Kibana schema known for ${type} at ${typeMigrationVersion}`];
  return isObject(attributes)
    ? objectProblems('attributes', attributes, schema)
    : ['attributes is not an object'];
}
