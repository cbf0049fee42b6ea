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
