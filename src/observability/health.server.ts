import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface ReadinessProbe {
  /** true when the service can do its job right now */
  ready(): Promise<boolean>;
}

/**
 * `/health/live` (the process answers) and `/health/ready` (what the probe says: in serve, the group joined,
 * rules loaded, Elasticsearch answering, the dead-letter and state topics taking writes).
 */
export class HealthServer {
  private server?: Server;

  constructor(
    private readonly probe: ReadinessProbe,
    private readonly registry?: Registry,
  ) {}

  /** Listens on `host` (loopback by default: metrics are not for every network the host is on). */
  listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((req, res) => {
      const path = req.url?.split('?')[0];
      if (path === '/health/live')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"live"}');
      if (path === '/health/ready') {
        void this.probe.ready().then(
          (ok) =>
            res
              .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
              .end(JSON.stringify({ status: ok ? 'ready' : 'not ready' })),
          () => res.writeHead(503).end('{"status":"not ready"}'),
        );
        return;
      }
      if (path === '/metrics' && this.registry) {
        const registry = this.registry;
        void registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
        return;
      }
      res.writeHead(404).end();
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => {
        const address = this.server!.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
