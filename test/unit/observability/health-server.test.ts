import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config';
import { HealthServer } from '../../../src/observability/health.server';

const REQUIRED = { KAFKA_BROKERS: '127.0.0.1:9092', ELASTICSEARCH_URL: 'http://127.0.0.1:9200' };
/** an address of this machine other than loopback, if it has one */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

describe('K01: /health and /metrics listen where they are told, loopback by default', () => {
  let server: HealthServer | undefined;
  afterEach(async () => server?.close());

  it('TUXWATCH_HTTP_HOST defaults to 127.0.0.1, and takes an address or a host name', () => {
    expect(loadConfig(REQUIRED).httpHost).toBe('127.0.0.1');
    expect(loadConfig({ ...REQUIRED, TUXWATCH_HTTP_HOST: '0.0.0.0' }).httpHost).toBe('0.0.0.0');
    expect(loadConfig({ ...REQUIRED, TUXWATCH_HTTP_HOST: '::1' }).httpHost).toBe('::1');
    expect(() => loadConfig({ ...REQUIRED, TUXWATCH_HTTP_HOST: 'http://x/' })).toThrow(/TUXWATCH_HTTP_HOST/);
  });

  it('on loopback it answers there and nowhere else', async () => {
    server = new HealthServer({ ready: async () => true });
    const port = await server.listen(0);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    if (external !== undefined)
      await expect(fetch(`http://${external}:${port}/health/live`)).rejects.toThrow();
  });

  it('on 0.0.0.0 (the container image) it answers on every interface', async () => {
    server = new HealthServer({ ready: async () => true });
    const port = await server.listen(0, '0.0.0.0');
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    if (external !== undefined)
      expect((await fetch(`http://${external}:${port}/health/live`)).status).toBe(200);
  });

  it('a port that is taken is an error to the caller, not a crash', async () => {
    server = new HealthServer({ ready: async () => true });
    const port = await server.listen(0);
    await expect(new HealthServer({ ready: async () => true }).listen(port)).rejects.toThrow(/EADDRINUSE/);
  });
});
