/** Opens the HTTP listener of an app (outside the daemon's wiring, so tests and the box choose the port and address). */
import type { Server } from 'node:http';
import type Koa from 'koa';

export interface HttpServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/** Something attached to the listener (the live WebSocket), closed before it. */
export interface Attachment {
  close(): void;
}

export async function listenHttp(app: Koa, port: number, host = '0.0.0.0', attach?: (server: Server) => Attachment): Promise<HttpServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  const attached = attach?.(server);
  return {
    port: typeof address === 'object' && address ? address.port : port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        attached?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A listener that can move to another port: the new one is opened first, the old one closed a moment later (its answers go out). */
export interface MovableHttpServer {
  readonly port: number;
  move(port: number): Promise<void>;
  close(): Promise<void>;
}

export async function listenMovable(app: Koa, port: number, host = '0.0.0.0', attach?: (server: Server) => Attachment, closeDelayMs = 1000): Promise<MovableHttpServer> {
  let current = await listenHttp(app, port, host, attach);
  const closing = new Set<Promise<void>>();
  return {
    get port() {
      return current.port;
    },
    async move(next: number) {
      const opened = await listenHttp(app, next, host, attach);
      const old = current;
      current = opened;
      const done = new Promise<void>((resolve) => setTimeout(resolve, closeDelayMs).unref()).then(() => old.close());
      closing.add(done);
      void done.finally(() => closing.delete(done));
    },
    async close() {
      await current.close();
      await Promise.all(closing);
    },
  };
}
