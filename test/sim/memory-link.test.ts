import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLinkPair, memoryTransport } from '../../firmware/sim/memory-link.ts';

test('bytes written on one end arrive at the other synchronously', () => {
  const [a, b] = createLinkPair();
  const got: string[] = [];
  b.onData((c) => got.push(c.toString()));
  a.write(Buffer.from('hi'));
  assert.equal(got, ['hi']);
  assert.is(a.bytesWritten, 2);
});

test('bytes written before the other end listens are held for its first listener', () => {
  const [a, b] = createLinkPair();
  a.write(Buffer.from('x'));
  const got: string[] = [];
  b.onData((c) => got.push(c.toString()));
  assert.equal(got, ['x']);
});

test('close reaches both ends; closeWithError gives its end the error', async () => {
  const [a, b] = createLinkPair();
  const seen: Array<string | undefined> = [];
  a.onClose((e) => seen.push(`a:${e?.message}`));
  b.onClose((e) => seen.push(`b:${e?.message}`));
  a.closeWithError(new Error('unplugged'));
  assert.equal(seen, ['a:unplugged', 'b:undefined']);
  a.write(Buffer.from('lost'));
  assert.is(a.writesAfterClose, 1);
  const late: Array<Error | undefined> = [];
  b.onClose((e) => late.push(e));
  assert.equal(late, [undefined]);
});

test('memoryTransport hands out a fresh pair on every open and exposes the card side', async () => {
  const transport = memoryTransport();
  const cards: string[] = [];
  transport.onOpen((card) => card.onData((c) => cards.push(c.toString())));
  const first = await transport.open();
  first.write(Buffer.from('one'));
  await first.close();
  const second = await transport.open();
  second.write(Buffer.from('two'));
  assert.equal(cards, ['one', 'two']);
  assert.is(transport.opens, 2);
  assert.is(transport.current!.host, second);
  transport.failOpens(new Error('no device'));
  await transport.open().then(
    () => assert.unreachable('opened'),
    (e: Error) => assert.is(e.message, 'no device'),
  );
});

test.run();
