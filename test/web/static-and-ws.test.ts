/** The web UI's server side: static files (precompressed, cached, SPA fallback, no path traversal) and the live WebSocket. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import Koa from 'koa';
import WebSocket from 'ws';
import { serveStatic, resolveUnder } from '../../firmware/api/static/serve-static.ts';
import { listenHttp } from '../../firmware/api/http-server.ts';
import { startSimBox } from '../support/sim-box.ts';
import { idleSource } from '../../firmware/sim/line-model.ts';
import { ROOT } from '../support/processes.ts';
import { signIn } from '../support/api-client.ts';
import { removeAtExit, tempDir } from '../support/temp-dir.ts';

function fixtureRoot(): string {
  const dir = tempDir('web-static-');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><p>index</p>');
  const js = 'console.log("hello");'.repeat(50);
  fs.writeFileSync(path.join(dir, 'assets/main-ABC.js'), js);
  fs.writeFileSync(path.join(dir, 'assets/main-ABC.js.gz'), zlib.gzipSync(js));
  fs.writeFileSync(path.join(dir, 'assets/main-ABC.js.br'), zlib.brotliCompressSync(js));
  fs.writeFileSync(removeAtExit(path.join(dir, '..', `${path.basename(dir)}-secret.txt`)), 'secret');
  return dir;
}

/** A raw GET (no automatic decompression, path sent as written). */
function rawGet(port: number, p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('static files: the precompressed variant by Accept-Encoding, immutable assets, index.html for routes, nothing outside the root', async () => {
  const root = fixtureRoot();
  const app = new Koa();
  app.use(serveStatic({ root }));
  app.use((ctx, next) => (ctx.path === '/api/v1/x' ? ((ctx.body = { ok: 1 }), undefined) : next()));
  const server = await listenHttp(app, 0, '127.0.0.1');
  try {
    const br = await rawGet(server.port, '/assets/main-ABC.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.is(br.status, 200);
    assert.is(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['cache-control']), /immutable/);
    assert.is(br.headers.vary, 'Accept-Encoding');
    assert.match(zlib.brotliDecompressSync(br.body).toString(), /hello/);

    const gz = await rawGet(server.port, '/assets/main-ABC.js', { 'accept-encoding': 'gzip' });
    assert.is(gz.headers['content-encoding'], 'gzip');
    assert.match(zlib.gunzipSync(gz.body).toString(), /hello/);

    const plain = await rawGet(server.port, '/assets/main-ABC.js', { 'accept-encoding': 'br;q=0, identity' });
    assert.is(plain.headers['content-encoding'], undefined);
    assert.match(plain.body.toString(), /^console/);
    assert.match(String(plain.headers['content-type']), /javascript/);

    for (const route of ['/', '/monitor', '/records/today?x=1', '/settings/channels']) {
      const page = await rawGet(server.port, route);
      assert.is(page.status, 200, route);
      assert.match(page.body.toString(), /index/);
      assert.is(page.headers['cache-control'], 'no-cache');
    }
    assert.is((await rawGet(server.port, '/assets/missing-XYZ.js')).status, 404);
    assert.is((await rawGet(server.port, '/api/v1/x')).status, 200);
    assert.is((await rawGet(server.port, '/api/v1/nothing')).status, 404, 'the API keeps its 404s');

    for (const evil of [`/../${path.basename(root)}-secret.txt`, `/%2e%2e/${path.basename(root)}-secret.txt`, '/assets/%2e%2e%2f%2e%2e%2fetc/passwd', '/%00', '/..%5c..%5cetc%5cpasswd']) {
      const r = await rawGet(server.port, evil);
      assert.not.match(r.body.toString(), /secret|root:/, evil);
      assert.ok(r.status === 400 || r.status === 404 || /index/.test(r.body.toString()), `${evil}: ${r.status}`);
    }
    assert.is(resolveUnder(root, '/../x'), path.join(root, 'x'));
    assert.is(resolveUnder(root, '/a/%2e%2e/%2e%2e/%2e%2e/x'), path.join(root, 'x'));
    assert.is(resolveUnder(root, '/%E0%A4%A'), null);
  } finally {
    await server.close();
  }
});

test('the build writes hashed, precompressed files under the size budget', () => {
  const out = tempDir('web-build-');
  const report = JSON.parse(execFileSync(path.join(ROOT, 'scripts/build-web'), ['--out', out], { encoding: 'utf8' }).trim().split('\n').pop()!);
  assert.ok(report.gzipBytes < 200 * 1024, `gzip total ${report.gzipBytes}`);
  const assets = fs.readdirSync(path.join(out, 'assets'));
  assert.ok(assets.some((f) => /^main-[A-Z0-9]{8}\.js$/.test(f)), assets.join());
  for (const f of assets.filter((x) => !/\.(gz|br)$/.test(x))) {
    assert.ok(assets.includes(`${f}.gz`) && assets.includes(`${f}.br`), f);
  }
  const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.match(html, /src="\/assets\/main-[A-Z0-9]{8}\.js"/);
});

interface Received {
  messages: any[];
  wait(pred: (m: any) => boolean, what: string): Promise<any>;
}

function collect(ws: WebSocket): Received {
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  return {
    messages,
    async wait(pred, what) {
      for (let i = 0; i < 200; i++) {
        const m = messages.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no ${what}; got ${JSON.stringify(messages).slice(0, 500)}`);
    },
  };
}

test('WebSocket: events pushed, presence between sessions, subscription gone with the socket, bad upgrades refused', async () => {
  const box = await startSimBox({ sources: Array.from({ length: 8 }, () => idleSource()), web: true });
  const url = `ws://127.0.0.1:${box.port}/api/v1/ws`;
  const admin = await signIn(`http://127.0.0.1:${box.port}`);
  const open = (u = url, headers: Record<string, string> = { authorization: `Bearer ${admin.token}` }) =>
    new Promise<[WebSocket, Received]>((resolve, reject) => {
      const ws = new WebSocket(u, { headers });
      const r = collect(ws);
      ws.once('open', () => resolve([ws, r]));
      ws.once('error', reject);
    });
  try {
    const anonymous = await open(url, {}).then(
      () => 'opened',
      (e: Error) => e.message,
    );
    assert.match(anonymous, /401/, 'a socket without a session is refused');
    const before = box.services.events.subscriberCount;
    const [a, ra] = await open();
    await ra.wait((m) => m.type === 'hello', 'hello');
    assert.is(box.services.events.subscriberCount, before + 1);

    const [b] = await open();
    a.send(JSON.stringify({ type: 'presence', page: 'settings/channels' }));
    b.send(JSON.stringify({ type: 'presence', page: 'settings/channels' }));
    const seen = await ra.wait((m) => m.type === 'presence' && m.others.length === 1, 'presence of b');
    assert.is(seen.others[0].account, 'admin');
    a.send('not json');
    await ra.wait((m) => m.type === 'error', 'error for bad JSON');

    // An event reaches the socket as the API presents it.
    await box.run(500);
    const res = await admin.fetch('/api/v1/channels/2/forced-recording', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: true }) });
    assert.is(res.status, 200);
    await box.run(1000);
    const started = await ra.wait((m) => m.type === 'event' && m.event.type === 'recording.started', 'recording.started');
    assert.is(started.event.ref, 'analog-0-2');

    // b leaves: a learns it is alone; b's subscription is gone.
    b.close();
    await ra.wait((m) => m.type === 'presence' && m.others.length === 0, 'presence after b left');
    for (let i = 0; i < 100 && box.services.events.subscriberCount > before + 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(box.services.events.subscriberCount, before + 1);

    // A dropped TCP connection (no close frame) ends the subscription too.
    (a as unknown as { _socket: { destroy(): void } })._socket.destroy();
    for (let i = 0; i < 100 && box.services.events.subscriberCount > before; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(box.services.events.subscriberCount, before);

    const wrong = await open(`ws://127.0.0.1:${box.port}/api/v1/other`).then(
      () => 'opened',
      () => 'refused',
    );
    assert.is(wrong, 'refused');
    const foreign = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url, { headers: { origin: 'http://evil.example', authorization: `Bearer ${admin.token}` } });
      ws.once('open', () => resolve('opened'));
      ws.once('error', () => resolve('refused'));
    });
    assert.is(foreign, 'refused', 'a page of another site is refused');
  } finally {
    await box.stop();
  }
});

test.run();
