/** Live events over HTTP (Server-Sent Events), filtered by type and channel, as a browser's EventSource reads them. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startScenarioBox } from '../support/scenario-box.ts';
import { authedFetch } from '../support/api-client.ts';

test('a client receives the events it asked for, as they happen, and a bad filter is a 400', async () => {
  const box = await startScenarioBox(12, [
    { channel: 3, audio: [[1, speechLike(10, 3)]], timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 11, state: 'onhook' }] },
  ], { config: { channels: { '3': { controlMode: 'dtmf' } } } });
  const base = `http://127.0.0.1:${box.port}/api/v1`;
  const controller = new AbortController();
  try {
    const bad = await authedFetch(`${base}/events?types=channel.state,nonsense`);
    assert.is(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /nonsense/);

    const res = await authedFetch(`${base}/events?types=recording.started,recording.stopped,recording.indexed&channel=3`, { signal: controller.signal });
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    const received: Array<{ event: string; data: any }> = [];
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += Buffer.from(value).toString('utf8');
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) received.push({ event, data: JSON.parse(data) });
        }
      }
    })().catch(() => undefined);

    const put = (on: boolean) =>
      authedFetch(`${base}/channels/3/forced-recording`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on }) });
    await box.run(2_000);
    assert.is((await put(true)).status, 200);
    await box.run(5_000);
    assert.is((await put(false)).status, 200);
    await box.run(1_000);
    for (let i = 0; i < 50 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(received.map((r) => r.event), ['recording.started', 'recording.stopped', 'recording.indexed']);
    const [started, stopped, indexed] = received;
    assert.is(started!.data.ref, 'analog-0-3');
    assert.is(started!.data.startMode, 'forced');
    assert.is(stopped!.data.stopMode, 'manual');
    assert.ok(stopped!.data.kept);
    assert.is(indexed!.data.record.id, started!.data.id);
    assert.is(indexed!.data.record.audioUrl, `/api/v1/records/${started!.data.id}/audio`);
    controller.abort();
    await pump;
    // The subscription ends with the connection.
    for (let i = 0; i < 50 && box.services.events.subscriberCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(box.services.events.subscriberCount, 0);
  } finally {
    controller.abort();
    await box.stop();
  }
});

test.run();
