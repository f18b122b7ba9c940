import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does with each request:
 * - `pass`: forwards to the real Elasticsearch;
 * - `status`: answers every request itself with one of `statuses` (in turn), as an overloaded or
 *   unavailable node does (429 `es_rejected_execution_exception`, 503 `unavailable_shards_exception`);
 * - `delay`: forwards, so Elasticsearch really does the work, but holds the answer back `ms` (past the
 *   client's request timeout, the client gives up on an answer that did happen);
 * - `refuse`: nothing listens on the port any more (connections are refused, open ones are destroyed), as
 *   when Elasticsearch is stopped.
 */
export type FaultMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'status'; readonly statuses: readonly number[] }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'refuse' };

/** Requests seen, by the mode that handled them. `bulk` counts `_bulk` requests among them. */
export interface ProxyCounts {
  requests: number;
  bulk: number;
}

const ERROR_TYPES: Record<number, string> = {
  429: 'es_rejected_execution_exception',
  503: 'unavailable_shards_exception',
};

/**
 * A small HTTP proxy in front of the real Elasticsearch, to put faults between the service and the node on
 * command. Point the service's ELASTICSEARCH_URL at `url`; the port stays the same across `refuse()` and
 * the modes that follow it.
 */
export class FaultProxy {
  private mode: FaultMode = { kind: 'pass' };
  private server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  private readonly target: URL;
  private statusTurn = 0;
  private listening = false;
  readonly counts: Record<FaultMode['kind'], ProxyCounts> = {
    pass: { requests: 0, bulk: 0 },
    status: { requests: 0, bulk: 0 },
    delay: { requests: 0, bulk: 0 },
    refuse: { requests: 0, bulk: 0 },
  };
  /** connections refused or destroyed while in `refuse` mode (attempts the client made) */
  refusedConnections = 0;

  private constructor(
    target: string,
    private port: number,
  ) {
    this.target = new URL(target);
    this.server = this.createServer();
  }

  /** Starts a proxy to `target` (e.g. http://127.0.0.1:9200) on a free port of 127.0.0.1, passing through. */
  static async start(target: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get current(): FaultMode {
    return this.mode;
  }

  /** Forward everything (again). */
  async pass(): Promise<void> {
    await this.setMode({ kind: 'pass' });
  }

  /** Answer every request with these statuses, in turn (e.g. [429, 503]). */
  async storm(statuses: readonly number[]): Promise<void> {
    if (statuses.length === 0) throw new Error('storm needs at least one status');
    await this.setMode({ kind: 'status', statuses });
  }

  /** Forward, but answer only `ms` after the request came in. */
  async delay(ms: number): Promise<void> {
    await this.setMode({ kind: 'delay', ms });
  }

  /** Stop listening and drop every open connection: "Elasticsearch is stopped". */
  async refuse(): Promise<void> {
    await this.setMode({ kind: 'refuse' });
  }

  async close(): Promise<void> {
    this.mode = { kind: 'refuse' };
    await this.stopListening();
    this.agent.destroy();
  }

  private async setMode(mode: FaultMode): Promise<void> {
    this.mode = mode;
    if (mode.kind === 'refuse') {
      await this.stopListening();
    } else if (!this.listening) {
      await this.listen();
    }
  }

  private createServer(): Server {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket: Socket) => {
      if (this.mode.kind === 'refuse') {
        this.refusedConnections++;
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(): Promise<void> {
    // a closed server cannot listen again: each listen gets a fresh one on the same port
    if (this.listening) return Promise.resolve();
    this.server = this.createServer();
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    const server = this.server;
    return new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) {
        this.refusedConnections++;
        s.destroy();
      }
      this.sockets.clear();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const mode = this.mode;
    const count = this.counts[mode.kind];
    count.requests++;
    if (req.url?.split('?')[0]?.endsWith('/_bulk')) count.bulk++;
    switch (mode.kind) {
      case 'refuse':
        req.socket.destroy();
        return;
      case 'status': {
        const status = mode.statuses[this.statusTurn++ % mode.statuses.length]!;
        req.resume();
        req.on('end', () => {
          const type = ERROR_TYPES[status] ?? 'fault_injected_exception';
          const body = JSON.stringify({
            error: { root_cause: [{ type, reason: 'injected by the test proxy' }], type, reason: 'injected' },
            status,
          });
          res.writeHead(status, {
            'content-type': 'application/json',
            'x-elastic-product': 'Elasticsearch',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        });
        return;
      }
      case 'delay':
        this.forward(req, res, Date.now() + mode.ms);
        return;
      case 'pass':
        this.forward(req, res, 0);
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse, answerAt: number): void {
    const upstream = httpRequest(
      {
        protocol: this.target.protocol,
        hostname: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (up) => {
        const answer = (): void => {
          if (res.destroyed) {
            up.resume();
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        };
        const wait = answerAt - Date.now();
        if (wait > 0) {
          // read the whole answer now (Elasticsearch is done), hand it over later
          const chunks: Buffer[] = [];
          up.on('data', (c: Buffer) => chunks.push(c));
          up.on('end', () =>
            setTimeout(() => {
              if (res.destroyed) return;
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.end(Buffer.concat(chunks));
            }, answerAt - Date.now()).unref(),
          );
          return;
        }
        answer();
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.on('error', () => upstream.destroy());
    // a client that gives up on a delayed answer does not cancel the work it asked for
    if (answerAt === 0) {
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
    }
    req.pipe(upstream);
  }
}
