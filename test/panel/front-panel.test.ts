import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FrontPanel } from '../../firmware/panel/front-panel.ts';
import { SimGpio } from '../../firmware/sim/sim-gpio.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';

function toggles(gpio: SimGpio, from: number, to: number) {
  return gpio.history.filter((h) => h.line === 'run' && h.at >= from && h.at < to).length;
}

test('PWR comes on and RUN blinks at 3-4 Hz while starting, then at 1 Hz when running', () => {
  const clock = new VirtualClock(0);
  const gpio = new SimGpio(() => clock.now());
  const panel = new FrontPanel(gpio, clock);
  panel.powerOn();
  assert.ok(gpio.get('pwr'));
  clock.advance(10_000);
  const startingHz = toggles(gpio, 0, 10_000) / 2 / 10;
  assert.ok(startingHz >= 3 && startingHz <= 4, `starting blink ${startingHz} Hz`);
  panel.setRunMode('running');
  clock.advance(10_000);
  const runningHz = toggles(gpio, 10_000, 20_000) / 2 / 10;
  assert.ok(Math.abs(runningHz - 1) < 0.11, `running blink ${runningHz} Hz`);
});

test('LINK follows the data disk; HALF, FULL and the buzzer follow the disk level', () => {
  const clock = new VirtualClock(0);
  const gpio = new SimGpio(() => clock.now());
  const panel = new FrontPanel(gpio, clock);
  panel.setDiskPresent(true);
  assert.ok(gpio.get('link'));
  panel.setDiskPresent(false);
  assert.not.ok(gpio.get('link'));
  panel.setDiskLevel('half');
  assert.equal([gpio.get('half'), gpio.get('full'), gpio.get('buzzer')], [true, false, false]);
  panel.setDiskLevel('full');
  assert.equal([gpio.get('half'), gpio.get('full'), gpio.get('buzzer')], [true, true, true]);
  panel.setDiskLevel('ok');
  assert.equal([gpio.get('half'), gpio.get('full'), gpio.get('buzzer')], [false, false, false]);
});

test('shutdown turns PWR and RUN off and stops blinking', () => {
  const clock = new VirtualClock(0);
  const gpio = new SimGpio(() => clock.now());
  const panel = new FrontPanel(gpio, clock);
  panel.powerOn();
  panel.shutdown();
  const before = gpio.history.length;
  clock.advance(5000);
  assert.is(gpio.history.length, before);
  assert.not.ok(gpio.get('pwr'));
  assert.not.ok(gpio.get('run'));
});

test.run();
