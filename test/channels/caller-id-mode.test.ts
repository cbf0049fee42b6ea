/** 收号模式 on a channel: a change reaches the detector at once and names the next call. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AlarmList } from '../../firmware/alarms/alarm-list.ts';
import { defaultChannelConfig, DEFAULT_RECORDING_PARAMS, type ChannelConfig } from '../../firmware/calls/channel-config.ts';
import { ChannelPipeline } from '../../firmware/channels/channel-pipeline.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import { AudioCodec } from '../../firmware/linecard/messages.ts';
import type { Recorder } from '../../firmware/recording/recorder.ts';
import { callerIdFsk, concat, dtmfCallerId, silence } from '../../firmware/sim/signals.ts';

const quiet = { warn() {}, info() {} };
const ONHOOK = 48;
const OFFHOOK = 8;

/** Records what the channel asks the recorder; keeps no file. */
function recorderStub(numbers: string[]): Recorder {
  const session = { write() {}, update() {}, close() {}, entry: {}, durationMs: 0, closed: false };
  return {
    recordingCodec: 'alaw',
    open(_ref: unknown, s: { remoteNumber: string }) {
      numbers.push(s.remoteNumber);
      return session;
    },
    missed() {
      return null;
    },
    current: () => null,
  } as unknown as Recorder;
}

/** Plays audio on the channel in 20 ms blocks, with line status every 100 ms. */
class Channel {
  now = 1000;
  constructor(readonly p: ChannelPipeline) {}
  play(pcm: Int16Array, voltage: number, ringing = false): void {
    for (let i = 0; i < pcm.length; i += 160) {
      const block = new Int16Array(160);
      block.set(pcm.subarray(i, i + 160));
      this.now += 20;
      this.p.onAudio(AudioCodec.Alaw, Buffer.from(alawEncode(block, new Uint8Array(160))), 0, this.now);
      if (this.now % 100 === 0) this.p.onLineStatus(voltage, ringing, this.now);
    }
  }
  /** Caller ID before the first ring, one ring, the answer, a short talk and the hang-up. */
  call(callerId: Int16Array): void {
    this.play(concat(silence(500), callerId, silence(500)), ONHOOK);
    this.play(silence(1000), ONHOOK, true);
    this.play(silence(1000), ONHOOK);
    this.play(silence(3000), OFFHOOK);
    this.play(silence(1000), ONHOOK);
  }
}

const fsk = callerIdFsk({ number: '13800138000' });
const dtmf = concat(dtmfCallerId('02088886666', 'A-C'), silence(2500));

test('a channel set to DTMF ignores FSK caller ID; set back to FSK/DTMF, the next call is named', () => {
  const numbers: string[] = [];
  const config: ChannelConfig = { ...defaultChannelConfig(0), callerIdMode: 'dtmf' };
  const ch = new Channel(new ChannelPipeline(0, config, DEFAULT_RECORDING_PARAMS, recorderStub(numbers), new AlarmList(quiet)));
  ch.call(fsk);
  ch.call(dtmf);
  ch.p.configure({ ...config, callerIdMode: 'fsk-dtmf' }, DEFAULT_RECORDING_PARAMS, ch.now);
  ch.call(fsk);
  assert.equal(numbers, ['', '02088886666', '13800138000']);
});

test('a channel set to FSK ignores DTMF caller ID', () => {
  const numbers: string[] = [];
  const config: ChannelConfig = { ...defaultChannelConfig(0), callerIdMode: 'fsk' };
  const ch = new Channel(new ChannelPipeline(0, config, DEFAULT_RECORDING_PARAMS, recorderStub(numbers), new AlarmList(quiet)));
  ch.call(dtmf);
  ch.call(fsk);
  assert.equal(numbers, ['', '13800138000']);
});

test.run();
