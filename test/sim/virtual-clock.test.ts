import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';

test('timers fire in time order with now() at their due time', () => {
  const clock = new VirtualClock(1000);
  const fired: Array<[string, number]> = [];
  clock.setTimeout(() => fired.push(['b', clock.now()]), 30);
  clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
  clock.setTimeout(() => fired.push(['c', clock.now()]), 30);
  clock.advance(25);
  assert.equal(fired, [['a', 1010]]);
  assert.is(clock.now(), 1025);
  clock.advance(100);
  assert.equal(fired, [['a', 1010], ['b', 1030], ['c', 1030]]);
});

test('timers scheduled by callbacks fire within the same advance', () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.now());
    clock.setTimeout(() => fired.push(clock.now()), 5);
  }, 10);
  clock.advance(20);
  assert.equal(fired, [10, 15]);
});

test('intervals repeat until cancelled, also from their own callback', () => {
  const clock = new VirtualClock(0);
  const fired: number[] = [];
  const h = clock.setInterval(() => {
    fired.push(clock.now());
    if (fired.length === 3) h.cancel();
  }, 20);
  clock.advance(200);
  assert.equal(fired, [20, 40, 60]);
  assert.is(clock.pendingTimers, 0);
});

test('a cancelled timeout never fires', () => {
  const clock = new VirtualClock(0);
  let fired = false;
  clock.setTimeout(() => (fired = true), 10).cancel();
  clock.advance(50);
  assert.not.ok(fired);
});

test('runFor lets promise callbacks run between steps', async () => {
  const clock = new VirtualClock(0);
  const seen: number[] = [];
  const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
  void (async () => {
    for (let i = 0; i < 3; i++) {
      await sleep(100);
      seen.push(clock.now());
    }
  })();
  await clock.runFor(1000, 50);
  assert.equal(seen, [100, 200, 300]);
  assert.is(clock.now(), 1000);
});

test.run();
