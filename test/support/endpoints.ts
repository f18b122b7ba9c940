import { inject } from 'vitest';
import type { StackKind } from './provided-context';

/** Kafka bootstrap servers decided by test/global-setup.ts (integration project only). */
export function kafkaBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new Error(
      'kafkaBrokers not provided: run integration tests as *.int.test.ts (vitest integration project)',
    );
  }
  return brokers;
}

/** Elasticsearch base URL decided by test/global-setup.ts (integration project only). */
export function elasticsearchUrl(): string {
  const url = inject('elasticsearchUrl');
  if (typeof url !== 'string' || url === '') {
    throw new Error(
      'elasticsearchUrl not provided: run integration tests as *.int.test.ts (vitest integration project)',
    );
  }
  return url;
}

/** Where the endpoints came from: environment, Testcontainers, or the local stack (scripts/stack). */
export function stackKind(): StackKind {
  return inject('stackKind');
}
