import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { loadBoard } from '../../firmware/board/load-board.ts';
import { createLinecardTransport, createLinuxHost, noSensors } from '../../firmware/host/linux/linux-host.ts';
import { systemClock } from '../../firmware/host/linux/clock.ts';

test('the simulation GPIO driver is refused with a clear message', async () => {
  const board = await loadBoard('sim');
  assert.throws(() => createLinuxHost(board, {}), /driver 'sim' is only available in the simulation/);
});

test('the line-card transport follows the board file', async () => {
  const rds = await loadBoard('rds');
  const rdt = await loadBoard('rdt');
  const sim = await loadBoard('sim');
  assert.match(createLinecardTransport(rds.linecard).description, 'uart /dev/ttyS1 @ 3000000 baud');
  assert.match(createLinecardTransport(rdt.linecard).description, 'spi /dev/spidev1.0');
  assert.match(createLinecardTransport(sim.linecard).description, path.resolve('var/linecard-host.pty'));
  const tcp = createLinecardTransport({ transport: 'tcp', host: 'card.local', port: 7000 });
  assert.is(tcp.description, 'tcp card.local:7000');
});

test('a board without I2C sensors reads every sensor as null', async () => {
  assert.equal(
    await Promise.all([noSensors.boardId(), noSensors.temperatureC(), noSensors.rtcTime()]),
    [null, null, null],
  );
});

test('system clock timers fire and can be cancelled', async () => {
  const before = systemClock.now();
  let cancelledFired = false;
  systemClock.setTimeout(() => (cancelledFired = true), 0).cancel();
  await new Promise<void>((r) => systemClock.setTimeout(r, 0));
  let ticks = 0;
  await new Promise<void>((r) => {
    const h = systemClock.setInterval(() => {
      if (++ticks === 3) {
        h.cancel();
        r();
      }
    }, 1);
  });
  assert.is(cancelledFired, false);
  assert.is(ticks, 3);
  assert.ok(systemClock.now() >= before);
});

test.run();
