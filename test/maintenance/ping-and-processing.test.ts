/**
 * 系统调试 and 处理信息 through the API: a ping of this machine streamed line
 * by line as Server-Sent Events while it runs; targets that could become
 * options or shell text refused before anything runs; at most two pings at
 * once, and a client that goes away stops its ping; processing info read
 * from the daemon's real counters.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';

/** Line 0 off-hook from 0.1 s for a minute: a recording open while the tests run. */
const call = () =>
  new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: 100, state: 'offhook' }, { tMs: 60_000, state: 'onhook' }], speechLike(62, 3));

let box: SimBox;
let api: ApiClient;

test.before(async () => {
  box = await startSimBox({ sources: [call()] });
  api = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  await box?.stop();
});

interface Sse {
  event: string;
  data: any;
  /** Which read of the body brought it. */
  read: number;
}

async function readEvents(res: Response): Promise<Sse[]> {
  const reader = res.body!.getReader();
  const out: Sse[] = [];
  let buf = '';
  for (let read = 0; ; read++) {
    const { value, done } = await reader.read();
    if (done) return out;
    buf += Buffer.from(value).toString('utf8');
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) out.push({ event, data: JSON.parse(data), read });
    }
  }
}

const ping = (body: unknown, signal?: AbortSignal) =>
  api.fetch('/api/v1/diagnostics/ping', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal });

test('a ping of this machine is streamed line by line while it runs, then its summary', async () => {
  const res = await ping({ target: '127.0.0.1', count: 3, size: 32 });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', 'text/event-stream');
  const events = await readEvents(res);
  assert.is(events[0]!.event, 'start');
  assert.match(events[0]!.data.command, /^ping .*-c 3 -s 32 .*-- 127\.0\.0\.1$/);
  const replies = events.filter((e) => e.event === 'line' && /bytes from 127\.0\.0\.1/.test(e.data.line));
  assert.is(replies.length, 3, JSON.stringify(events));
  assert.match(replies[0]!.data.line, /^40 bytes from/, '32 data bytes and the ICMP header');
  const end = events.at(-1)!;
  assert.is(end.event, 'end');
  assert.equal(end.data, { code: 0, transmitted: 3, received: 3 });
  assert.ok(replies[0]!.read < end.read, 'the first reply came in an earlier read than the end: streamed, not buffered');
  const ops = (await api.json('/api/v1/operations?operation=test')).body.items;
  assert.ok(ops.some((o: any) => o.parameter === 'ping' && /127\.0\.0\.1 ×3, 32 bytes/.test(o.detail)));
});

test('targets that could be options or shell text, and counts or sizes out of range, are refused', async () => {
  const bad: unknown[] = [
    { target: '-f' }, { target: '--help' }, { target: '127.0.0.1 -f' }, { target: '127.0.0.1; reboot' }, { target: '$(reboot)' }, { target: '`id`' },
    { target: 'host/../x' }, { target: 'a'.repeat(300) }, { target: '' }, { target: '999.1.1.1' }, { target: 'box\n-f' },
    { target: '127.0.0.1', count: 0 }, { target: '127.0.0.1', count: 101 }, { target: '127.0.0.1', size: -1 }, { target: '127.0.0.1', size: 70_000 },
    { target: '127.0.0.1', flood: true },
  ];
  for (const body of bad) {
    const res = await ping(body);
    assert.is(res.status, 400, JSON.stringify(body));
    assert.is(((await res.json()) as any).error.code, 'BAD_REQUEST');
  }
  const svc = box.services.diagnostics;
  await svc.ping(SYSTEM, { target: '-i0' }).then(
    () => assert.unreachable('the service refuses it as well'),
    (e: { code: string }) => assert.is(e.code, 'BAD_REQUEST'),
  );
});

test('at most two pings at once; a client that goes away stops its ping', async () => {
  const a = new AbortController();
  const b = new AbortController();
  const r1 = await ping({ target: '127.0.0.1', count: 30 }, a.signal);
  const r2 = await ping({ target: '127.0.0.1', count: 30 }, b.signal);
  assert.is(r1.status, 200);
  assert.is(r2.status, 200);
  const r3 = await ping({ target: '127.0.0.1', count: 1 });
  assert.is(r3.status, 429);
  assert.is(((await r3.json()) as any).error.code, 'PING_BUSY');
  a.abort();
  b.abort();
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const r = await ping({ target: 'localhost', count: 1, size: 0 });
    status = r.status;
    if (status === 200) await readEvents(r);
    else await r.text();
  }
  assert.is(status, 200, 'the stopped pings no longer count');
});

test('the service hands out the lines as an async stream (for the console)', async () => {
  const run = await box.services.diagnostics.ping(SYSTEM, { target: '127.0.0.1', count: 1, size: 8 });
  const lines: string[] = [];
  for await (const l of run.lines) lines.push(l);
  assert.ok(lines.some((l) => /16 bytes from 127\.0\.0\.1/.test(l)), lines.join('\n'));
  assert.is((await run.done).received, 1, lines.join(' | '));
});

test('processing info reads the link counters, queues, memory and event loop of the daemon', async () => {
  const first = (await api.json('/api/v1/processing')).body;
  await box.run(2_000);
  const r = await api.json('/api/v1/processing');
  assert.is(r.status, 200);
  const p = r.body;
  assert.ok(p.linecard.up);
  assert.ok(p.linecard.stats.frames > first.linecard.stats.frames, 'frames counted');
  assert.ok(p.linecard.framesPerSecond > 0, `${p.linecard.framesPerSecond} frames/s`);
  assert.is(p.linecard.errorsPerMinute, 0);
  assert.is(p.channels.analog, 8);
  assert.is(p.queues.recordingsOpen, 1, 'the call on line 0 is being recorded');
  assert.type(p.queues.eventsDropped, 'number');
  assert.ok(p.memory.rssBytes > 0 && p.memory.totalBytes >= p.memory.freeBytes);
  assert.type(p.eventLoop.p99Ms, 'number');
  assert.type(p.cpu.percent, 'number');
});

test.run();
