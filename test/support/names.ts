import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run against a reused stack) uses: valid as a Kafka topic, consumer group,
 * Elasticsearch index / index template name (lowercase a-z0-9 and '-', starts with a letter).
 *
 *   uniqueName('it-alerts') -> "it-alerts-lq3k9z-5f2a9c"
 */
export function uniqueName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return `${clean || 't'}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
