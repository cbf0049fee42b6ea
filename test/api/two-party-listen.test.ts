/**
 * Live listening to a two-party call (an E1 timeslot) from the audio tap:
 * each party in its own lane (`separate`) or both mixed into one, as an
 * administrator listens from 录音状态.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { E1PortModel } from '../../firmware/sim/e1/e1-port-model.ts';
import { e1Board } from '../e1/link-helpers.ts';
import { startSimBox } from '../support/sim-box.ts';
import { signIn } from '../support/api-client.ts';
import { wsClient } from '../support/seat-box.ts';

test('an E1 call: both parties separately, then mixed', async () => {
  const port0 = new E1PortModel({
    signalling: 'pri',
    calls: [{
      timeslot: 5, from: 'a', atMs: 500, calling: { digits: '13912345678', type: 'national' }, called: { digits: '88776655' },
      outcome: 'answered', ringMs: 300, talkMs: 600_000, clearedBy: 'b',
    }],
  });
  const idle = () => new E1PortModel({ signalling: 'pri' });
  const box = await startSimBox({ sources: [], board: e1Board(), e1Ports: [port0, idle(), idle(), idle()], web: true });
  const origin = `http://127.0.0.1:${box.port}`;
  const ws = await wsClient(origin, (await signIn(origin)).token);
  try {
    await box.run(2000);
    ws.ws.send(JSON.stringify({ type: 'listen', ref: 'e1-0-5', mode: 'separate' }));
    const sep = await ws.waitFor((m) => m.type === 'listening');
    ws.ws.send(JSON.stringify({ type: 'listen', ref: 'e1-0-5', mode: 'mixed' }));
    const mixed = await ws.waitFor((m) => m.type === 'listening' && m.stream !== sep.stream);
    await box.run(1000);
    await new Promise((r) => setTimeout(r, 100));
    const lanes = (stream: number) => new Set(ws.frames.filter((f) => f.readUInt16LE(2) === stream).map((f) => f[1]));
    assert.equal([...lanes(sep.stream)].sort(), [0, 1], 'each party in its lane');
    assert.equal([...lanes(mixed.stream)], [2], 'both parties in one');
    const nSep = ws.frames.filter((f) => f.readUInt16LE(2) === sep.stream).length;
    const nMix = ws.frames.filter((f) => f.readUInt16LE(2) === mixed.stream).length;
    assert.ok(nMix >= 45 && Math.abs(nSep - 2 * nMix) <= 4, `${nSep} separate frames, ${nMix} mixed`);
  } finally {
    ws.close();
    await box.stop();
  }
});

test.run();
