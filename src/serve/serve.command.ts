import { NestFactory } from '@nestjs/core';
import { loadDetector } from '../cli/load-detector';
import { ConfigError, loadConfig } from '../config/load-config';
import { createLogger } from '../observability/logger';
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
  const detector = await loadDetector(config.rules);
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
  const app = await NestFactory.createApplicationContext(
    ServeModule.forRoot(config, logger, detector, onFatal),
    {
      logger: ['error', 'warn'],
    },
  );
  process.once('SIGTERM', () => void shutdown(0));
  process.once('SIGINT', () => void shutdown(0));
}
