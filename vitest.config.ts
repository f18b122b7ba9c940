import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - unit: every test/**\/*.test.ts except integration tests; never starts Kafka or Elasticsearch.
 * - integration: test/**\/*.int.test.ts, against real Kafka + Elasticsearch. Its global setup
 *   (test/global-setup.ts) decides the endpoints and runs only when an integration test is queued, so
 *   `vitest run test/unit` does not start Java.
 *
 * Integration test files may run in parallel with each other: they share one broker and one cluster, so each
 * test uses unique topic / consumer group / index / template names (test/support/names.ts).
 */
export default defineConfig({
  test: {
    // include/exclude live in the projects only: `extends: true` concatenates arrays with the root's
    // globalSetup teardown stops the local stack (scripts/stack/down.sh: up to 30 s grace per JVM)
    teardownTimeout: 90_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'dist/**', 'test/**/*.int.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
