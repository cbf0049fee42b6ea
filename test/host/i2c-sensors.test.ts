import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { I2cSensors, type I2cBus, type I2cBusOpener } from '../../firmware/host/linux/i2c-sensors.ts';

/** An in-memory I2C bus: each address holds a register image. */
function fakeBus(devices: Record<number, number[]>) {
  const reads: Array<[number, number, number]> = [];
  let opens = 0;
  let closes = 0;
  const bus: I2cBus = {
    async readI2cBlock(addr, cmd, length, buffer) {
      reads.push([addr, cmd, length]);
      const image = devices[addr];
      if (!image) throw new Error('EREMOTEIO');
      const bytes = image.slice(cmd, cmd + length);
      Buffer.from(bytes).copy(buffer);
      return { bytesRead: bytes.length };
    },
    async close() {
      closes++;
    },
  };
  const opener: I2cBusOpener = async () => {
    opens++;
    return bus;
  };
  return { opener, reads, opens: () => opens, closes: () => closes };
}

const eeprom = [...Buffer.from('RDS8-000123', 'latin1'), ...Array<number>(21).fill(0xff)];
const lm75 = [0xe7, 0x00];
const rtc = [0x58, 0x59, 0x23, 0x05, 0x29, 0x02, 0x24];
const config = { bus: 1, idEeprom: 0x50, temperatureSensor: 0x48, rtc: 0x68 };

test('each sensor is read from its address, register 0, and decoded', async () => {
  const fake = fakeBus({ 0x50: eeprom, 0x48: lm75, 0x68: rtc });
  const sensors = new I2cSensors(config, fake.opener);
  const [id, temp, time] = await Promise.all([sensors.boardId(), sensors.temperatureC(), sensors.rtcTime()]);
  assert.is(id, 'RDS8-000123');
  assert.is(temp, -25);
  assert.is(time, Date.UTC(2024, 1, 29, 23, 59, 58));
  assert.equal(fake.reads, [
    [0x50, 0, 32],
    [0x48, 0, 2],
    [0x68, 0, 7],
  ]);
  assert.is(fake.opens(), 1, 'the bus is opened once');
  await sensors.close();
  assert.is(fake.closes(), 1);
});

test('a device the board does not have, or one that does not answer, reads as null', async () => {
  const fake = fakeBus({ 0x50: eeprom });
  const sensors = new I2cSensors({ bus: 1, idEeprom: 0x50, temperatureSensor: 0x48 }, fake.opener);
  assert.is(await sensors.temperatureC(), null);
  assert.is(await sensors.rtcTime(), null);
  assert.is(await sensors.boardId(), 'RDS8-000123');
  assert.equal(
    fake.reads.map((r) => r[0]),
    [0x48, 0x50],
  );
});

test('a bus that cannot be opened reads as null and is tried again next time', async () => {
  let attempts = 0;
  const failing: I2cBusOpener = async () => {
    attempts++;
    throw new Error('ENOENT /dev/i2c-1');
  };
  const sensors = new I2cSensors(config, failing);
  assert.is(await sensors.boardId(), null);
  assert.is(await sensors.temperatureC(), null);
  assert.is(attempts, 2);
  await sensors.close();
});

test('a missing /dev/i2c bus through the i2c-bus package reads as null', async () => {
  const sensors = new I2cSensors({ bus: 250, temperatureSensor: 0x48 });
  assert.is(await sensors.temperatureC(), null);
  await sensors.close();
});

test.run();
