import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventBus } from '../../firmware/events/event-bus.ts';
import { AudioTap } from '../../firmware/events/audio-tap.ts';
import { analogRef, refKey } from '../../firmware/ports/channel-ref.ts';
import type { BoxEvent } from '../../firmware/events/box-events.ts';

const level = (channel: number, at: number): BoxEvent => ({ type: 'channel.level', ref: analogRef(channel), level: at, at });

test('a subscription gets the events its filter names, in order', async () => {
  const bus = new EventBus();
  const sub = bus.subscribe({ types: ['channel.level'], ref: analogRef(2) });
  bus.publish(level(1, 1));
  bus.publish(level(2, 2));
  bus.publish({ type: 'linecard.down', detail: 'x', at: 3 });
  bus.publish(level(2, 4));
  assert.equal(sub.drain().map((e) => e.at), [2, 4]);
  const waiting = sub.next();
  bus.publish(level(2, 5));
  assert.is((await waiting)!.at, 5);
  sub.close();
  assert.is(await sub.next(), null);
});

test('a reader that falls behind loses its oldest events, counted; publishing never waits', () => {
  const bus = new EventBus();
  const slow = bus.subscribe({}, 10);
  const fast = bus.subscribe({}, 1000);
  for (let i = 0; i < 100; i++) bus.publish(level(0, i));
  assert.is(slow.dropped, 90);
  assert.equal(slow.drain().map((e) => e.at), [90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  assert.is(fast.drain().length, 100);
  assert.is(fast.dropped, 0);
});

test('wants() tells whether anyone listens to a type, so costly events are not built', () => {
  const bus = new EventBus();
  assert.not.ok(bus.wants('channel.level'));
  const sub = bus.subscribe({ types: ['channel.level'] });
  const stop = bus.listen(() => undefined, { types: ['disk.level'] });
  assert.ok(bus.wants('channel.level'));
  assert.ok(bus.wants('disk.level'));
  assert.not.ok(bus.wants('alarm.raised'));
  sub.close();
  stop();
  assert.not.ok(bus.wants('channel.level'));
  assert.not.ok(bus.wants('disk.level'));
});

test('a listener that throws does not stop the others', () => {
  const bus = new EventBus();
  const seen: number[] = [];
  bus.listen(() => {
    throw new Error('broken');
  });
  bus.listen((e) => seen.push(e.at));
  bus.publish(level(0, 7));
  assert.equal(seen, [7]);
  assert.is(bus.stats.listenerErrors, 1);
});

test('the audio tap copies blocks to each listener of the channel and bounds their queues', () => {
  const tap = new AudioTap();
  const ref = analogRef(3);
  const key = refKey(ref);
  assert.not.ok(tap.listening(key));
  const a = tap.listen(ref, 5);
  const b = tap.listen(ref, 100);
  assert.ok(tap.listening(key));
  const block = new Int16Array(160);
  for (let i = 0; i < 20; i++) {
    block.fill(i);
    tap.publish(key, ref, 0, i * 20, block);
  }
  assert.is(a.dropped, 15);
  assert.equal(a.drain().map((x) => x.samples[0]), [15, 16, 17, 18, 19]);
  const got = b.drain();
  assert.is(got.length, 20);
  assert.is(got[3]!.samples[0], 3, 'blocks are copies, not the reused buffer');
  a.close();
  b.close();
  assert.not.ok(tap.listening(key));
  assert.is(tap.listenerCount, 0);
});

test.run();
