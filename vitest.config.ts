import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Four projects:
 * - unit: every test/**\/*.test.ts except integration, container and system tests; never starts Kafka or
 *   Elasticsearch.
 * - integration: test/**\/*.int.test.ts, against real Kafka + Elasticsearch. Its global setup
 *   (test/global-setup.ts) decides the endpoints and runs only when an integration test is queued, so
 *   `vitest run test/unit` does not start Java.
 * - container: test/container/**\/*.container.test.ts, the image built from the Dockerfile and run by a Docker
 *   engine (through Testcontainers) against the same Kafka + Elasticsearch: test/global-setup.ts resolves the
 *   endpoints once for both projects, test/container/global-setup.ts builds the image once per run. Skipped
 *   when no engine answers, unless TUXWATCH_TEST_DOCKER=require.
 *
 * - system: test/system/**\/*.sys.test.ts, the collector on a real Debian root in namespaces (root only;
 *   the root is built once by debootstrap and cached under ~/.cache/tuxwatch).
 *
 * Container and system tests run after unit and integration tests (sequence.groupOrder); like integration tests they share one broker
 * and one cluster, so each test uses unique topic / consumer group / index / template names
 * (test/support/names.ts).
 */
export default defineConfig({
  test: {
    // modules that `require` a dependency on first use load TypeScript here (test/support/require-typescript.ts)
    setupFiles: ['test/support/require-typescript.ts'],
    // include/exclude live in the projects only: `extends: true` concatenates arrays with the root's
    // globalSetup teardown stops the local stack (scripts/stack/down.sh: up to 30 s grace per JVM)
    teardownTimeout: 90_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [
            ...configDefaults.exclude,
            'dist/**',
            'test/**/*.int.test.ts',
            'test/container/**',
            // the system project's: run once, there, with its own timeouts
            'test/system/**',
          ],
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
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/system/**/*.sys.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          // a Debian root unpacked and swept twice: load the fault tests' timing should not share
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'container',
          include: ['test/container/**/*.container.test.ts'],
          globalSetup: ['test/global-setup.ts', 'test/container/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // after unit and integration: containers add load, and the fault tests' timing should not share it
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
