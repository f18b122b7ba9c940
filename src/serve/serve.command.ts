import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../config/load-config';
import { InMemoryCorrelationState } from '../detect/correlation/correlation-state';
import { ReloadableDetector } from '../detect/reloadable-detector';
import { formatProblem } from '../domain/rule';
import { createLogger } from '../observability/logger';
import { terminalText } from '../observability/terminal-text';
import { ChangedHosts } from './host-state-sync';
import { ServeModule } from './serve.module';

/**
 * `tuxwatch serve`. Configuration is validated before anything connects: a bad value exits 1 with the
 * variable named. SIGTERM/SIGINT stop fetching, finish or abandon the chunk in flight, commit what is
 * done and exit 0.
 */
export async function serve(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tuxwatch serve: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  // correlation windows are per-host state: their changes are written to the state topic with the rest
  const changes = new ChangedHosts();
  const detector = new ReloadableDetector(
    config.rules,
    new InMemoryCorrelationState({ onChange: changes.mark }),
  );
  const first = await detector.reload();
  if (first.status !== 'loaded') {
    const why =
      first.status === 'kept' ? first.problems.map((p) => terminalText(formatProblem(p))).join('\n') : '';
    process.stderr.write(
      `tuxwatch serve: rules could not be loaded from ${terminalText(config.rules.join(', '))}:\n${why}\n`,
    );
    process.exit(2);
  }
  logger.info({ rules: first.rules, notes: first.problems.length }, 'rules loaded');
  let exitCode = 0;
  let closing: Promise<void> | undefined;
  const shutdown = (code: number): Promise<void> =>
    (closing ??= (async () => {
      exitCode = Math.max(exitCode, code);
      logger.info({ exitCode }, 'shutting down');
      const force = setTimeout(() => process.exit(exitCode || 1), 30_000).unref();
      await app.close();
      clearTimeout(force);
      process.exit(exitCode);
    })());
  const onFatal = (e: Error): void => {
    logger.fatal({ err: e.message }, 'fatal error; stopping');
    void shutdown(1);
  };
  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  try {
    app = await NestFactory.createApplicationContext(
      ServeModule.forRoot({ config, logger, detector, changes, onFatal }),
      { logger: ['error', 'warn'] },
    );
  } catch (e) {
    // Elasticsearch or Kafka unreachable (after kafkajs' own retries), credentials refused, a port taken: a
    // process that cannot start must not idle with /health/live answering 200. Exit, and let the
    // orchestrator's restart policy (compose: unless-stopped) try again.
    logger.fatal({ err: e instanceof Error ? e.message : String(e) }, 'could not start; exiting');
    process.exit(1);
  }
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
}
