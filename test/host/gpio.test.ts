import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SysfsGpio, type GpioOutputFactory } from '../../firmware/host/linux/sysfs-gpio.ts';
import { GpiodGpio } from '../../firmware/host/linux/gpiod-gpio.ts';
import type { Shell, ShellResult } from '../../firmware/host/host.ts';

const lines = { pwr: 17, run: 18, link: 27, half: 22, full: 23, buzzer: 24 };

function fakeOutputs(failLine?: number) {
  const writes: Array<[number, boolean]> = [];
  const released: number[] = [];
  const polarity: boolean[] = [];
  const factory: GpioOutputFactory = (line, activeLow) => {
    if (line === failLine) throw new Error('EACCES');
    polarity.push(activeLow);
    return { write: (on) => writes.push([line, on]), release: () => released.push(line) };
  };
  return { factory, writes, released, polarity };
}

test('sysfs lines start off, follow set(), report the last value and are released on close', async () => {
  const fake = fakeOutputs();
  const gpio = new SysfsGpio({ driver: 'sysfs', activeLow: true, lines }, fake.factory);
  assert.equal(fake.writes.length, 6);
  assert.ok(fake.writes.every(([, on]) => !on), 'every line starts off');
  assert.ok(fake.polarity.every((p) => p), 'the board polarity is passed to every line');
  gpio.set('run', true);
  assert.equal(fake.writes.at(-1), [18, true]);
  assert.is(gpio.get('run'), true);
  assert.is(gpio.get('link'), false);
  await gpio.close();
  await gpio.close();
  assert.equal(fake.released.sort(), Object.values(lines).sort());
  gpio.set('run', false);
  assert.equal(fake.writes.at(-1), [18, true], 'no writes after close');
});

test('a line that cannot be exported names the line and releases the ones already taken', () => {
  const fake = fakeOutputs(27);
  assert.throws(() => new SysfsGpio({ driver: 'sysfs', activeLow: false, lines }, fake.factory), /GPIO line 27 \(link\)/);
  assert.equal(fake.released, [17, 18]);
});

function fakeShell(code = 0) {
  const runs: Array<[string, readonly string[]]> = [];
  const shell: Shell = {
    async run(command, args): Promise<ShellResult> {
      runs.push([command, args]);
      return { code, stdout: '', stderr: code ? 'gpioset: error' : '' };
    },
  };
  return { shell, runs };
}

test('gpiod lines are set with gpioset, polarity applied, in order', async () => {
  const fake = fakeShell();
  const gpio = new GpiodGpio({ driver: 'sysfs', activeLow: true, lines }, fake.shell, { chip: 'gpiochip1' });
  gpio.set('buzzer', true);
  gpio.set('buzzer', false);
  assert.is(gpio.get('buzzer'), false);
  await gpio.close();
  const buzzer = fake.runs.filter(([, a]) => a[1]?.startsWith('24='));
  assert.equal(buzzer, [
    ['gpioset', ['gpiochip1', '24=1']],
    ['gpioset', ['gpiochip1', '24=0']],
    ['gpioset', ['gpiochip1', '24=1']],
  ]);
});

test('gpiod v2 tools get the exit-after-set form, and failures are reported', async () => {
  const fake = fakeShell(1);
  const failures: string[] = [];
  const gpio = new GpiodGpio({ driver: 'sysfs', activeLow: false, lines }, fake.shell, {
    tools: 'v2',
    onError: (line) => failures.push(line),
  });
  gpio.set('pwr', true);
  await gpio.close();
  assert.equal(fake.runs.at(-1), ['gpioset', ['-t0', '-c', 'gpiochip0', '17=1']]);
  assert.is(failures.length, 7);
});

test.run();
