import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { registerHeapMetrics } from './register.js';
import type { HeapMetrics, HeapMetricsOptions, StatsSource } from './types.js';

export interface ServeMetricsOptions extends Omit<HeapMetricsOptions, 'registry'> {
  /** TCP port; 0 (default) picks a free one (read it back from `url` / `port`). */
  port?: number;
  /** Interface to listen on; default '127.0.0.1' (not reachable from other machines). */
  host?: string;
  /** Registry to serve; default a fresh one holding only this heap's metrics. */
  registry?: Registry;
  /** Also export prom-client's Node process metrics (CPU, memory, GC, event loop lag); default false. */
  defaultMetrics?: boolean;
}

export interface MetricsServer {
  /** Base URL, e.g. 'http://127.0.0.1:9464' (append '/metrics' or '/stats.json'). */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  readonly registry: Registry;
  /** The registered collectors (call `observeFrame` on it from the game loop). */
  readonly metrics: HeapMetrics;
  /** Stop listening, drop open connections and unregister the heap's collectors. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function handler(heap: StatsSource, registry: Registry) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', head);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => send(res, 200, registry.contentType, text, head),
        (err: unknown) => send(res, 500, 'text/plain; charset=utf-8', `metrics failed: ${String(err)}\n`, head),
      );
    } else if (path === '/stats.json') {
      let body: string;
      try {
        body = JSON.stringify(heap.statsDump());
      } catch (err) {
        send(res, 500, 'text/plain; charset=utf-8', `statsDump failed: ${String(err)}\n`, head);
        return;
      }
      send(res, 200, 'application/json; charset=utf-8', body, head);
    } else if (path === '/') {
      send(res, 200, 'text/plain; charset=utf-8', 'tslab metrics: /metrics (Prometheus), /stats.json (statsDump)\n', head);
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /stats.json\n', head);
    }
  };
}

/**
 * Serve a heap over node:http: `/metrics` (Prometheus text format, collected at request time) and
 * `/stats.json` (`heap.statsDump()`, what `tslab watch` polls). Resolves once listening.
 */
export async function serveMetrics(heap: StatsSource, options: ServeMetricsOptions = {}): Promise<MetricsServer> {
  const port = options.port ?? 0;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`serveMetrics: options.port must be an integer 0..65535, got ${String(port)}`);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new TypeError(`serveMetrics: options.host must be a non-empty string, got ${String(host)}`);
  }
  const ownRegistry = options.registry === undefined;
  const registry = options.registry ?? new Registry();
  const metrics = registerHeapMetrics(heap, {
    registry,
    prefix: options.prefix,
    name: options.name,
    frames: options.frames,
    epochIds: options.epochIds,
    frameBuckets: options.frameBuckets,
    frameSampleCapacity: options.frameSampleCapacity,
  });
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });

  const server = createServer(handler(heap, registry));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    metrics.unregister();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: address.address,
    server,
    registry,
    metrics,
    close(): Promise<void> {
      if (closed) return closed;
      closed = new Promise<void>((resolve, reject) => {
        server.close((err) => {
          metrics.unregister();
          if (ownRegistry) registry.clear();
          if (err) reject(err);
          else resolve();
        });
        // Prometheus keeps its scrape connection alive: drop idle and open sockets so close() ends.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
