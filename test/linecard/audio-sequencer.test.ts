import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AudioSequencer, MAX_FILLED_BLOCKS } from '../../firmware/linecard/audio-sequencer.ts';

test('consecutive blocks need no filling, across the 16-bit wrap', () => {
  const s = new AudioSequencer(2);
  for (const seq of [65533, 65534, 65535, 0, 1]) assert.equal(s.accept(0, seq), { accept: true, missing: 0 });
  assert.is(s.stats.gaps, 0);
});

test('a gap is filled with as many silent blocks as were lost and counted', () => {
  const s = new AudioSequencer(1);
  s.accept(0, 10);
  assert.equal(s.accept(0, 14), { accept: true, missing: 3 });
  assert.is(s.stats.gaps, 1);
  assert.is(s.stats.filledBlocks, 3);
});

test('duplicates and late blocks are dropped without moving the position', () => {
  const s = new AudioSequencer(1);
  s.accept(0, 100);
  assert.equal(s.accept(0, 100), { accept: false });
  assert.equal(s.accept(0, 99), { accept: false });
  assert.equal(s.accept(0, 101), { accept: true, missing: 0 });
  assert.is(s.stats.duplicates, 2);
});

test('a gap longer than a second is counted but not filled', () => {
  const s = new AudioSequencer(1);
  s.accept(0, 0);
  assert.equal(s.accept(0, MAX_FILLED_BLOCKS + 5), { accept: true, missing: 0 });
  assert.is(s.stats.unfilledGaps, 1);
});

test('channels are tracked independently and resync forgets positions', () => {
  const s = new AudioSequencer(2);
  s.accept(0, 5);
  s.accept(1, 500);
  assert.equal(s.accept(0, 6), { accept: true, missing: 0 });
  s.resync();
  assert.equal(s.accept(1, 9), { accept: true, missing: 0 });
});

test.run();
