import type { Client } from '@elastic/elasticsearch';
import { alertIndex } from '../build-alert';

export const ALERT_TEMPLATE_NAME = 'tuxwatch-alerts';
/** Bump when the mappings change: a template of a lower version is replaced at start. */
export const ALERT_TEMPLATE_VERSION = 3;

const keyword = { type: 'keyword', ignore_above: 1024 } as const;
const date = { type: 'date' } as const;
const ip = { type: 'ip' } as const;
const long = { type: 'long' } as const;
const endpoint = { properties: { ip, port: long, domain: keyword } };

/**
 * The composable index template for `tuxwatch-alerts-*`, ECS-typed: strings are keywords unless they are
 * prose, times are dates, addresses are ips, and `event.original` is kept but not indexed (it is evidence to
 * read, not to search; and it can be large). Only features a plain Elasticsearch 9 node has are used.
 */
export function alertIndexTemplate(): Record<string, unknown> {
  return {
    index_patterns: ['tuxwatch-alerts-*'],
    priority: 200,
    version: ALERT_TEMPLATE_VERSION,
    _meta: { description: 'tuxwatch alerts (ECS)', managed_by: 'tuxwatch' },
    template: {
      settings: { number_of_shards: 1, 'index.mapping.total_fields.limit': 2000 },
      mappings: {
        dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
        properties: {
          '@timestamp': date,
          message: { type: 'text' },
          event: {
            properties: {
              created: date,
              original: { type: 'keyword', index: false, doc_values: false },
              severity: long,
              id: keyword,
              kind: keyword,
              action: keyword,
              category: keyword,
              type: keyword,
              outcome: keyword,
            },
          },
          rule: { properties: { id: keyword, uuid: keyword, name: keyword, description: { type: 'text' } } },
          host: { properties: { name: keyword } },
          user: {
            properties: {
              name: keyword,
              id: keyword,
              target: { properties: { name: keyword, id: keyword } },
            },
          },
          group: { properties: { name: keyword, id: keyword } },
          file: { properties: { path: keyword, mode: keyword, mtime: date, ctime: date, size: long } },
          process: { properties: { name: keyword, pid: long, executable: keyword, command_line: keyword } },
          source: endpoint,
          destination: endpoint,
          server: endpoint,
          threat: {
            properties: {
              framework: keyword,
              technique: { properties: { id: keyword, subtechnique: { properties: { id: keyword } } } },
              tactic: { properties: { name: keyword } },
            },
          },
          tuxwatch: {
            properties: {
              severity: keyword,
              event: { properties: { count: long, time_out_of_range: { type: 'boolean' } } },
              related: { properties: { count: long } },
              alert: { properties: { count: long } },
              // a record's exact bytes when they are not UTF-8: stored to read, never indexed
              original: { properties: { base64: { type: 'binary' } } },
            },
          },
        },
      },
    },
  };
}

/** Creates the template when it is missing or older than this version; leaves a newer one alone. */
export async function ensureAlertIndexTemplate(client: Client): Promise<'created' | 'current'> {
  const existing = await client.indices
    .getIndexTemplate({ name: ALERT_TEMPLATE_NAME })
    .catch((e: { meta?: { statusCode?: number } }) => {
      if (e.meta?.statusCode === 404) return undefined;
      throw e;
    });
  const version = existing?.index_templates[0]?.index_template.version;
  if (typeof version === 'number' && version >= ALERT_TEMPLATE_VERSION) return 'current';
  await client.indices.putIndexTemplate({ name: ALERT_TEMPLATE_NAME, ...alertIndexTemplate() });
  return 'created';
}

/**
 * Creates this month's alert index (from the template) when no index of the prefix exists yet, and returns its
 * name; undefined when there was one already. Alert indices are otherwise created by the first alert written
 * to them, so before the first alert a Kibana data view over `tuxwatch-alerts-*` would have no fields and the
 * dashboard's charts would name fields it cannot find. An empty index gives it every field of the template.
 */
export async function ensureAlertIndexExists(
  client: Client,
  prefix: string,
  now: Date = new Date(),
): Promise<string | undefined> {
  const existing = await client.indices.get({
    index: `${prefix}*`,
    allow_no_indices: true,
    ignore_unavailable: true,
    expand_wildcards: 'all',
  });
  if (Object.keys(existing).length > 0) return undefined;
  const index = alertIndex(now.toISOString(), prefix);
  try {
    await client.indices.create({ index });
  } catch (e) {
    // another instance created it meanwhile
    if (
      (e as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type !==
      'resource_already_exists_exception'
    )
      throw e;
  }
  return index;
}
