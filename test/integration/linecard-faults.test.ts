/**
 * A noisy and a dying line card: corrupted frames, garbage, lost audio blocks
 * and a card that stops answering must never crash the recorder, shorten a
 * recording, or lose the call.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox } from '../support/sim-box.ts';

const call = (fromS: number, toS: number, seed: number) =>
  new TimelineSource(
    [
      { tMs: 0, state: 'onhook' },
      { tMs: fromS * 1000, state: 'offhook' },
      { tMs: toS * 1000, state: 'onhook' },
    ],
    speechLike(toS + 2, seed),
  );

test('corrupted frames, garbage and dropped audio are counted, alarmed and do not shorten the call', async () => {
  const box = await startSimBox({
    sources: [call(1, 16, 1), call(2, 12, 2)],
    faults: { crcErrorEvery: 40, garbageEvery: 25, dropAudioEvery: 30 },
  });
  try {
    await box.run(20_000);
    const status = (await box.api('/api/v1/status')).body;
    const s = status.linecard.stats;
    assert.ok(s.crcErrors > 0, 'CRC errors counted');
    assert.ok(s.malformedFrames + s.crcErrors > box.card.sent.crcCorrupted / 2, 'garbage counted');
    assert.ok(s.audioGaps > 0 && s.filledBlocks > 0, 'audio gaps filled');
    assert.ok(status.alarms.some((a: any) => a.id === 'linecard-errors'), 'link-error alarm raised');
    assert.ok(status.linecard.up, 'the link stays up');
    const records = (await box.api('/api/v1/records')).body.items;
    const ch0 = records.find((r: any) => r.channel === 0);
    const ch1 = records.find((r: any) => r.channel === 1);
    assert.ok(Math.abs(ch0.durationS - 15.3) < 0.6, `channel 0 lasted ${ch0.durationS} s`);
    assert.ok(Math.abs(ch1.durationS - 10.3) < 0.6, `channel 1 lasted ${ch1.durationS} s`);
  } finally {
    await box.stop();
  }
});

test('a card that stops answering raises an alarm; when it is back the call continues in a linked file', async () => {
  const box = await startSimBox({ sources: [call(1, 40, 3)] });
  try {
    await box.run(8_000);
    box.card.setMute(true);
    await box.run(6_000);
    let status = (await box.api('/api/v1/status')).body;
    assert.not.ok(status.linecard.up);
    assert.ok(status.alarms.some((a: any) => a.id === 'linecard-down' && a.severity === 'critical'));
    const first = (await box.api('/api/v1/records')).body.items;
    assert.is(first.length, 1);
    assert.is(first[0].stopMode, 'linecard-fault');
    box.card.setMute(false);
    await box.run(10_000);
    status = (await box.api('/api/v1/status')).body;
    assert.ok(status.linecard.up, 'link re-established');
    assert.not.ok(status.alarms.some((a: any) => a.id === 'linecard-down'), 'alarm cleared');
    const ch = (await box.api('/api/v1/channels')).body.items[0];
    assert.ok(ch.recording, 'recording resumed');
    await box.run(30_000);
    const records = (await box.api('/api/v1/records')).body.items;
    assert.is(records.length, 2);
    const [second, firstPart] = records;
    assert.is(second.callId, firstPart.callId);
    assert.equal([firstPart.part, second.part], [1, 2]);
    assert.is(second.callType, 'outgoing');
    assert.is(second.stopMode, 'hangup');
  } finally {
    await box.stop();
  }
});

test('the daemon drives PWR, RUN (1 Hz) and LINK on the simulated panel', async () => {
  const box = await startSimBox({ sources: [] });
  try {
    const from = box.clock.now();
    await box.run(6_000);
    const leds = (await box.api('/api/v1/status')).body.leds;
    assert.ok(leds.pwr && leds.link);
    const runToggles = box.gpio.history.filter((h) => h.line === 'run' && h.at >= from).length;
    assert.ok(runToggles >= 11 && runToggles <= 13, `${runToggles} RUN toggles in 6 s`);
  } finally {
    await box.stop();
  }
});

test.run();
