import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { TcpTransport } from '../../firmware/host/linux/tcp-transport.ts';

interface Server {
  server: net.Server;
  port: number;
  /** Resolves with the next accepted connection. */
  accept(): Promise<net.Socket>;
}

async function listen(): Promise<Server> {
  const queue: net.Socket[] = [];
  const waiters: Array<(s: net.Socket) => void> = [];
  const server = net.createServer((s) => {
    const w = waiters.shift();
    if (w) w(s);
    else queue.push(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    server,
    port,
    accept: () => new Promise((r) => (queue.length > 0 ? r(queue.shift()!) : waiters.push(r))),
  };
}

function closeServer(s: Server): Promise<void> {
  return new Promise((r) => s.server.close(() => r()));
}

function collect(onChunk: (listener: (c: Buffer) => void) => void, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise((resolve) =>
    onChunk((c) => {
      chunks.push(c);
      total += c.length;
      if (total >= length) resolve(Buffer.concat(chunks).subarray(0, length));
    }),
  );
}

test('bytes flow both ways between the link and the server', async () => {
  const srv = await listen();
  try {
    const link = await new TcpTransport({ host: '127.0.0.1', port: srv.port }).open();
    const peer = await srv.accept();
    const burst = randomBytes(64 * 1024);
    const atServer = collect((l) => peer.on('data', l), burst.length);
    link.write(burst);
    assert.ok((await atServer).equals(burst));
    const atLink = collect((l) => link.onData(l), 4);
    peer.write(Buffer.from([0xc0, 1, 2, 0xc0]));
    assert.equal([...(await atLink)], [0xc0, 1, 2, 0xc0]);
    await link.close();
  } finally {
    await closeServer(srv);
  }
});

test('bytes sent before onData is registered are delivered to the first listener', async () => {
  const srv = await listen();
  try {
    const link = await new TcpTransport({ host: '127.0.0.1', port: srv.port }).open();
    const peer = await srv.accept();
    await new Promise<void>((r) => peer.write(Buffer.from('early'), () => r()));
    await new Promise((r) => setImmediate(r));
    assert.equal((await collect((l) => link.onData(l), 5)).toString(), 'early');
    await link.close();
  } finally {
    await closeServer(srv);
  }
});

test('the server hanging up closes the link once, and the transport reconnects', async () => {
  const srv = await listen();
  try {
    const transport = new TcpTransport({ host: '127.0.0.1', port: srv.port });
    const link = await transport.open();
    const peer = await srv.accept();
    let closes = 0;
    const closed = new Promise<void>((r) =>
      link.onClose(() => {
        closes++;
        r();
      }),
    );
    peer.destroy();
    await closed;
    await link.close();
    assert.is(closes, 1);

    const again = await transport.open();
    const peer2 = await srv.accept();
    const got = collect((l) => peer2.on('data', l), 2);
    again.write(Buffer.from('ok'));
    assert.is((await got).toString(), 'ok');
    await again.close();
  } finally {
    await closeServer(srv);
  }
});

test('close is idempotent and a late onClose listener still hears about it', async () => {
  const srv = await listen();
  try {
    const link = await new TcpTransport({ host: '127.0.0.1', port: srv.port }).open();
    await srv.accept();
    await Promise.all([link.close(), link.close()]);
    const late = await new Promise<Error | undefined>((r) => link.onClose(r));
    assert.is(late, undefined);
  } finally {
    await closeServer(srv);
  }
});

test('connecting to a port nobody listens on rejects', async () => {
  const srv = await listen();
  const port = srv.port;
  await closeServer(srv);
  try {
    await new TcpTransport({ host: '127.0.0.1', port }).open();
    assert.unreachable('should have rejected');
  } catch (e) {
    assert.match((e as Error).message, `127.0.0.1:${port}`);
  }
});

test.run();
