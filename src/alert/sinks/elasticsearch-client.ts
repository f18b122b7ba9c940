import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../config/load-config';

/** The Elasticsearch client for the configured node: API key or basic auth, optional CA. Retries are ours. */
export function createElasticsearchClient(config: ServiceConfig['elasticsearch']): Client {
  return new Client({
    node: config.url,
    auth: config.apiKey
      ? { apiKey: config.apiKey }
      : config.username
        ? { username: config.username, password: config.password ?? '' }
        : undefined,
    tls:
      config.ca || !config.rejectUnauthorized
        ? { ca: config.ca, rejectUnauthorized: config.rejectUnauthorized }
        : undefined,
    maxRetries: 0,
    requestTimeout: 30_000,
  });
}
