import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPriTap } from '../../firmware/e1/pri-tap.ts';
import { createCasTap } from '../../firmware/e1/r2-tap.ts';
import { prng, vector } from './helpers.ts';

const rand = prng(0x5eed);
const PRI = vector('pri_sim/ts16_hdlc_net2user.bin');
const CAS = vector('r2_china/ts16_cas_AtoB.bin');

/** A piece of a real stream with bit flips, dropped or repeated runs and garbage bursts. */
function mutate(src: Uint8Array, len: number): Uint8Array {
  const start = Math.floor(rand() * (src.length - len));
  const out = new Uint8Array(src.subarray(start, start + len));
  const edits = 1 + Math.floor(rand() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * len);
    const kind = Math.floor(rand() * 4);
    if (kind === 0) out[at]! ^= 1 << Math.floor(rand() * 8);
    else if (kind === 1) out.fill(Math.floor(rand() * 256), at, at + Math.floor(rand() * 64));
    else if (kind === 2) for (let i = at; i < Math.min(len, at + 40); i++) out[i] = Math.floor(rand() * 256);
    else out.copyWithin(at, Math.floor(rand() * len), Math.floor(rand() * len));
  }
  return out;
}

const random = (len: number) => new Uint8Array(len).map(() => Math.floor(rand() * 256));

test('PRI tap: 3000 random and mutated TS16 streams in random chunks never throw, and counters stay sane', () => {
  for (let n = 0; n < 3000; n++) {
    const tap = createPriTap({ signallingTimeoutMs: 50, callTimeoutMs: 2000 });
    const len = 200 + Math.floor(rand() * 3000);
    const streams = { a: n % 3 === 0 ? random(len) : mutate(PRI, len), b: n % 5 === 0 ? random(len) : mutate(PRI, len) };
    let at = 0;
    for (let i = 0; i < len; ) {
      const c = 1 + Math.floor(rand() * 300);
      at += c / 8;
      tap.push('a', streams.a.subarray(i, i + c), at);
      tap.push('b', streams.b.subarray(i, i + c), at);
      i += c;
      if (rand() < 0.1) tap.tick(at + rand() * 5000);
    }
    tap.tick(at + 10_000);
    const s = tap.stats();
    assert.ok(s.activeCalls === 0 && s.frames >= 0);
  }
});

test('CAS tap: 2000 random and mutated TS16 and voice streams never throw', () => {
  for (let n = 0; n < 2000; n++) {
    const tap = createCasTap({ callTimeoutMs: 2000 });
    const len = 200 + Math.floor(rand() * 2000);
    const sig = { a: n % 3 === 0 ? random(len) : mutate(CAS, len), b: mutate(CAS, len) };
    let at = 0;
    for (let i = 0; i < len; i += 160) {
      at += 20;
      for (const s of ['a', 'b'] as const) {
        tap.pushSignalling(s, sig[s].subarray(i, i + 160), at);
        tap.pushVoice(s, 1 + Math.floor(rand() * 31), random(160), at);
      }
    }
    tap.tick(at + 10_000);
    assert.is(tap.stats().activeCalls, 0);
  }
});

test.run();
