/** Opens the HTTP listener of an app (outside the daemon's wiring, so tests and the box choose the port and address). */
import type { Server } from 'node:http';
import type Koa from 'koa';

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function listenHttp(app: Koa, port: number, host = '0.0.0.0'): Promise<HttpServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
