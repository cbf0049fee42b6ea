import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { AckStatus, decodeMessage, encodeMessage, isDecodeFailure, type AnyMessage, type HostCommand } from '../../firmware/linecard/messages.ts';
import { SlipDecoder, slipEncode } from '../../firmware/linecard/slip.ts';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/linecard-sim');
/** Only guards against a hang; no assertion depends on timing. */
const GUARD_MS = 30_000;

function guard<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), GUARD_MS))),
  ]).finally(() => clearTimeout(timer));
}

function startSim(args: string[]): { child: ChildProcess; stderr: () => string; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(SCRIPT, args, { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (stderr.includes('ready:')) resolve();
    });
    child.once('exit', () => reject(new Error(`simulator exited before it was ready:\n${stderr}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, ready, exited };
}

async function openHost(file: string) {
  const port = new SerialPort({ path: file, baudRate: 3_000_000, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const messages: AnyMessage[] = [];
  const waiters: Array<() => void> = [];
  const decoder = new SlipDecoder();
  port.on('data', (chunk: Buffer) =>
    decoder.push(chunk, (frame) => {
      const m = decodeMessage(frame);
      if (!isDecodeFailure(m)) messages.push(m);
      waiters.splice(0).forEach((w) => w());
    }),
  );
  const until = (pred: (m: AnyMessage) => boolean, what: string) =>
    guard(
      new Promise<number>((resolve) => {
        const check = () => {
          const i = messages.findIndex(pred);
          if (i >= 0) resolve(i);
          else waiters.push(check);
        };
        check();
      }),
      what,
    );
  const send = (c: HostCommand) => port.write(slipEncode(encodeMessage(c)));
  const close = () => new Promise<void>((resolve) => port.close(() => resolve()));
  return { messages, until, send, close };
}

test('scripts/linecard-sim --pty-pair: the card answers identify over a real pty, across a reopen', async () => {
  const dir = tempDir('linecard-pty-');
  const sim = startSim(['--pty-pair', dir, '--seed', '9']);
  try {
    await guard(sim.ready, 'the simulator to be ready');
    const hostPty = path.join(dir, 'linecard-host.pty');
    for (const seq of [77, 78]) {
      const host = await openHost(hostPty);
      host.send({ type: 'identify', seq });
      const at = await host.until((m) => m.type === 'ack' && m.seq === seq, `the ack of identify ${seq}`);
      assert.equal(host.messages[at], { type: 'ack', seq, status: AckStatus.Ok });
      assert.equal(host.messages[at - 1], { type: 'hello', protocolVersion: 1, channelCount: 8, audioCodec: 0, model: 'SIM-LC8', firmwareVersion: '1.4.2' });
      await host.until((m) => m.type === 'audio', 'audio');
      await host.close();
    }
  } finally {
    sim.child.kill('SIGTERM');
    await guard(sim.exited, 'the simulator to exit');
  }
  assert.not.ok(existsSync(path.join(dir, 'linecard-host.pty')), 'the pty links are removed on exit');
});

test('a bad scenario stops the simulator with a message naming the file and field', async () => {
  const dir = tempDir('linecard-bad-');
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ lines: [{ channel: 12, timeline: [{ t: 0, state: 'onhook' }] }] }));
  const sim = startSim(['--device', '/dev/null', '--scenario', file]);
  const code = await guard(sim.exited, 'the simulator to exit');
  assert.is(code, 2);
  assert.match(sim.stderr(), `scenario ${file}: lines.0.channel: channel 12 is out of range`);
});

test('an unknown board stops the simulator with a message', async () => {
  const sim = startSim(['--tcp-listen', '0', '--board', 'no-such-board']);
  const code = await guard(sim.exited, 'the simulator to exit');
  assert.is(code, 2);
  assert.match(sim.stderr(), /board file .*no-such-board\.json: cannot be read/);
});

test.run();
