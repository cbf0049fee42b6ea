import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildSpiTx,
  parseSpidevPath,
  SpiTransport,
  type SpiBus,
  type SpiOpener,
} from '../../firmware/host/linux/spi-transport.ts';

const END = 0xc0;

test('an empty queue gives a transfer of END bytes only', () => {
  const { tx, rest } = buildSpiTx([], 16);
  assert.is(tx.length, 16);
  assert.ok(tx.every((b) => b === END));
  assert.equal(rest, []);
});

test('queued bytes go first, in order, padded with END', () => {
  const { tx, rest } = buildSpiTx([Buffer.from([1, 2]), Buffer.from([3])], 16);
  assert.equal([...tx.subarray(0, 4)], [1, 2, 3, END]);
  assert.ok(tx.subarray(3).every((b) => b === END));
  assert.equal(rest, []);
});

test('a chunk that does not fit is split and its tail stays queued', () => {
  const queue = [Buffer.from([1, 2, 3]), Buffer.from([4, 5, 6]), Buffer.from([7])];
  const { tx, rest } = buildSpiTx(queue, 4);
  assert.equal([...tx], [1, 2, 3, 4]);
  assert.equal(
    rest.map((b) => [...b]),
    [[5, 6], [7]],
  );
  assert.equal([...queue[1]!], [4, 5, 6], 'the caller’s queue is left untouched');
});

test('an exact fit leaves nothing queued', () => {
  const { tx, rest } = buildSpiTx([Buffer.from([1, 2]), Buffer.from([3, 4])], 4);
  assert.equal([...tx], [1, 2, 3, 4]);
  assert.equal(rest, []);
});

test('draining a large queue over several transfers sends every byte once', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 191));
  let queue: Buffer[] = [data.subarray(0, 300), data.subarray(300, 301), data.subarray(301)];
  const sent: number[] = [];
  while (queue.length > 0) {
    const r = buildSpiTx(queue, 64);
    sent.push(...r.tx.subarray(0, Math.min(64, 1000 - sent.length)));
    queue = r.rest;
  }
  assert.equal(sent, [...data]);
});

test('spidev paths give bus and chip select', () => {
  assert.equal(parseSpidevPath('/dev/spidev1.0'), { bus: 1, chipSelect: 0 });
  assert.equal(parseSpidevPath('/dev/spidev0.2'), { bus: 0, chipSelect: 2 });
  assert.throws(() => parseSpidevPath('/dev/ttyS1'), /spidev/);
});

/** An in-memory SPI device: records what the host sent, answers with scripted bytes. */
function fakeBus(answers: Buffer[], failAfter = Infinity) {
  const sent: Buffer[] = [];
  let closed = 0;
  const bus: SpiBus = {
    async transfer(tx, rx) {
      if (sent.length >= failAfter) throw new Error('spi transfer failed');
      sent.push(Buffer.from(tx));
      rx.fill(END);
      answers.shift()?.copy(rx);
    },
    async close() {
      closed++;
    },
  };
  const opener: SpiOpener = async () => bus;
  return { opener, sent, closes: () => closed };
}

const options = { device: '/dev/spidev1.0', speedHz: 1_000_000, pollMs: 1, transferBytes: 16 };

test('the link clocks queued bytes out and delivers every received transfer unchanged', async () => {
  const fake = fakeBus([Buffer.from([END, 0x11, 0x22, END])]);
  const link = await new SpiTransport(options, fake.opener).open();
  const first = await new Promise<Buffer>((r) => link.onData(r));
  assert.is(first.length, 16);
  assert.equal([...first.subarray(0, 4)], [END, 0x11, 0x22, END]);
  link.write(Buffer.from([0x01, 0x02, 0x03]));
  await new Promise<void>((resolve) =>
    link.onData(() => {
      if (fake.sent.some((tx) => tx[0] === 0x01)) resolve();
    }),
  );
  const tx = fake.sent.find((t) => t[0] === 0x01)!;
  assert.equal([...tx.subarray(0, 4)], [0x01, 0x02, 0x03, END]);
  await link.close();
  await link.close();
  assert.is(fake.closes(), 1);
});

test('a failed transfer closes the link with the error and releases the device', async () => {
  const fake = fakeBus([], 2);
  const link = await new SpiTransport(options, fake.opener).open();
  const err = await new Promise<Error | undefined>((r) => link.onClose(r));
  assert.match(err?.message ?? '', 'spi transfer failed');
  await link.close();
  assert.is(fake.closes(), 1);
});

test('an opener failure rejects open() with the device named', async () => {
  const failing: SpiOpener = async () => {
    throw new Error('ENOENT');
  };
  try {
    await new SpiTransport(options, failing).open();
    assert.unreachable('should have rejected');
  } catch (e) {
    assert.match((e as Error).message, '/dev/spidev1.0');
  }
});

test('opening a missing spidev through the spi-device package rejects with the device named', async () => {
  try {
    await new SpiTransport({ ...options, device: '/dev/spidev99.9' }).open();
    assert.unreachable('should have rejected');
  } catch (e) {
    assert.match((e as Error).message, '/dev/spidev99.9');
  }
});

test.run();
