import { Client, type estypes } from '@elastic/elasticsearch';
import { elasticsearchUrl } from './endpoints';

/** An @elastic/elasticsearch client for the test cluster. */
export function createEsClient(): Client {
  return new Client({ node: elasticsearchUrl(), requestTimeout: 30_000, maxRetries: 2 });
}

/**
 * Number of documents in the indices matching `indexPattern` (comma-separated patterns allowed), after a
 * refresh so that just-written documents count. A pattern that matches nothing counts 0.
 */
export async function countDocs(
  client: Client,
  indexPattern: string,
  query?: estypes.QueryDslQueryContainer,
): Promise<number> {
  await client.indices.refresh({ index: indexPattern, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.count({
    index: indexPattern,
    allow_no_indices: true,
    ignore_unavailable: true,
    ...(query ? { query } : {}),
  });
  return res.count;
}

/** The `_source` of up to `size` documents matching `query` in `indexPattern` (after a refresh). */
export async function searchDocs<T = Record<string, unknown>>(
  client: Client,
  indexPattern: string,
  query: estypes.QueryDslQueryContainer = { match_all: {} },
  size = 100,
): Promise<T[]> {
  await client.indices.refresh({ index: indexPattern, allow_no_indices: true, ignore_unavailable: true });
  const res = await client.search<T>({
    index: indexPattern,
    allow_no_indices: true,
    ignore_unavailable: true,
    query,
    size,
  });
  return res.hits.hits.flatMap((h) => (h._source === undefined ? [] : [h._source]));
}

/**
 * Deletes the indices matching `indexPattern` (best effort, for cleanup). Resolves concrete names first, so it
 * also works where wildcard deletes are refused (action.destructive_requires_name, the default).
 */
export async function deleteIndices(client: Client, indexPattern: string): Promise<void> {
  try {
    const found = await client.indices.get({
      index: indexPattern,
      allow_no_indices: true,
      ignore_unavailable: true,
      expand_wildcards: 'all',
    });
    const names = Object.keys(found);
    if (names.length > 0) await client.indices.delete({ index: names, ignore_unavailable: true });
  } catch {
    // cleanup only
  }
}

/** Deletes composable index templates by name (best effort, for cleanup). */
export async function deleteIndexTemplates(client: Client, ...names: string[]): Promise<void> {
  for (const name of names) {
    await client.indices.deleteIndexTemplate({ name }).catch(() => undefined);
  }
}
