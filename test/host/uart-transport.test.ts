import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UartTransport } from '../../firmware/host/linux/uart-transport.ts';
import type { ByteLink } from '../../firmware/host/host.ts';

/** Polls until `cond` holds; fails after `limitMs`, which only bounds a broken run. */
async function waitUntil(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startPtyPair(dir: string): Promise<{ socat: ChildProcess; a: string; b: string }> {
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  rmSync(a, { force: true });
  rmSync(b, { force: true });
  const socat = spawn('/usr/bin/socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: 'ignore',
  });
  await waitUntil(() => existsSync(a) && existsSync(b), 'socat pty links');
  return { socat, a, b };
}

async function stopSocat(socat: ChildProcess): Promise<void> {
  if (socat.exitCode !== null || socat.signalCode !== null) return;
  const exited = new Promise((r) => socat.once('exit', r));
  socat.kill('SIGKILL');
  await exited;
}

/** Resolves with the first `length` bytes received on `link`. */
function receive(link: ByteLink, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise((resolve) => {
    link.onData((chunk) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= length) resolve(Buffer.concat(chunks).subarray(0, length));
    });
  });
}

function uart(device: string): UartTransport {
  return new UartTransport({ device, baudRate: 3_000_000 });
}

test('bytes written on one end of a pseudo-terminal pair arrive on the other, both ways', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'uart-'));
  const { socat, a, b } = await startPtyPair(dir);
  try {
    const left = await uart(a).open();
    const right = await uart(b).open();
    const toRight = receive(right, 5);
    left.write(Buffer.from('hello'));
    assert.equal((await toRight).toString(), 'hello');
    const toLeft = receive(left, 3);
    right.write(Buffer.from([0xc0, 0x00, 0xff]));
    assert.equal([...(await toLeft)], [0xc0, 0x00, 0xff]);
    await left.close();
    await right.close();
  } finally {
    await stopSocat(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a 64 KiB burst arrives intact', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'uart-'));
  const { socat, a, b } = await startPtyPair(dir);
  try {
    const left = await uart(a).open();
    const right = await uart(b).open();
    const burst = randomBytes(64 * 1024);
    const got = receive(right, burst.length);
    left.write(burst);
    assert.ok((await got).equals(burst));
    await left.close();
    await right.close();
  } finally {
    await stopSocat(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('losing the far end closes the link, and open() works again once it is back', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'uart-'));
  let { socat, a, b } = await startPtyPair(dir);
  try {
    const transport = uart(a);
    const link = await transport.open();
    link.onData(() => undefined);
    let closes = 0;
    const closed = new Promise<Error | undefined>((resolve) =>
      link.onClose((err) => {
        closes++;
        resolve(err);
      }),
    );
    await stopSocat(socat);
    const err = await closed;
    assert.ok(err instanceof Error, 'closed with an error');
    await link.close();
    assert.is(closes, 1);

    ({ socat, a, b } = await startPtyPair(dir));
    const again = await transport.open();
    const peer = await uart(b).open();
    const got = receive(peer, 4);
    again.write(Buffer.from('back'));
    assert.equal((await got).toString(), 'back');
    await again.close();
    await peer.close();
  } finally {
    await stopSocat(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('close is idempotent and reports one close without an error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'uart-'));
  const { socat, a } = await startPtyPair(dir);
  try {
    const link = await uart(a).open();
    const seen: Array<Error | undefined> = [];
    link.onClose((err) => seen.push(err));
    await Promise.all([link.close(), link.close()]);
    await link.close();
    assert.equal(seen, [undefined]);
    link.write(Buffer.from('ignored after close'));
  } finally {
    await stopSocat(socat);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('opening a missing device rejects with the device named', async () => {
  try {
    await uart('/nonexistent/tty-linecard').open();
    assert.unreachable('should have rejected');
  } catch (e) {
    assert.match((e as Error).message, '/nonexistent/tty-linecard');
  }
});

test.run();
