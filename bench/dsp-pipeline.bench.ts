/**
 * Benchmark of the per-channel analog signal path: G.711 A-law decoding and
 * the channel detector (DTMF, Bell 202 and V.23 FSK caller ID, DTMF caller
 * ID, voice activity and level meter, call-progress tones) fed 20 ms blocks,
 * as the channel pipeline runs it for every line.
 *
 * The line audio is 10 minutes of calls built from firmware/sim/signals.ts:
 * FSK or DTMF caller ID, speech-like talk in turns with pauses, dialled DTMF
 * digits, a busy tone at hang-up, idle line between calls, all over faint
 * line noise, A-law encoded as the line card sends it. The run is checked
 * (every caller ID, digit string and busy tone heard) before it is timed.
 *
 *   node --import tsx bench/dsp-pipeline.bench.ts
 *
 * CPU time is process.cpuUsage() (user + system) on one core; the best of
 * DSP_BENCH_ROUNDS (default 5) rounds is reported. Prints `BENCH <name> <value> <unit>`:
 *   dsp_channels_per_core      channel-seconds processed per CPU-second
 *   dsp_64ch_core_percent      what 64 lines cost, % of one core
 *   dsp_<component>_only       each part alone, in channels per core
 */
import { ChannelSignalDetector } from '../firmware/dsp/channel-detector.ts';
import { CallProgressDetector } from '../firmware/dsp/call-progress.ts';
import { DtmfReceiver } from '../firmware/dsp/dtmf-receiver.ts';
import { FskCallerIdReceiver } from '../firmware/dsp/fsk-callerid.ts';
import { alawDecode, alawEncode } from '../firmware/dsp/g711.ts';
import { VoiceActivityDetector } from '../firmware/dsp/voice-activity.ts';
import { callerIdFsk, concat, dtmfCallerId, dtmfDigits, mix, silence, speechLike, toneCadence } from '../firmware/sim/signals.ts';

const SECONDS = 600;
const BLOCK = 160;
const ROUNDS = Math.max(1, Number(process.env['DSP_BENCH_ROUNDS'] ?? 5) || 5);

/** Seeded white noise at `levelDbm0`, as a quiet line carries. */
function lineNoise(samples: number, levelDbm0: number, seed: number): Int16Array {
  let a = seed >>> 0;
  const rms = 32768 * Math.pow(10, (levelDbm0 - 3.14) / 20) / Math.SQRT2;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    out[i] = Math.round(((a / 4294967296) * 2 - 1) * rms * Math.sqrt(3));
  }
  return out;
}

interface Line {
  audio: Uint8Array;
  seconds: number;
  callerIds: number;
  digitStrings: string[];
  busyTones: number;
}

/** One call: idle line, caller ID, dialled digits, talk in turns, busy tone. */
function buildCall(call: number): { audio: Int16Array; digits: string } {
  const parts: Int16Array[] = [silence(3000 + (call % 4) * 1000)];
  if (call % 3 === 2) {
    parts.push(dtmfCallerId(`0755${String(1000000 + call * 7919).slice(-7)}`, 'A-C'));
  } else {
    const standard = call % 3 === 0 ? 'bell202' : 'v23';
    parts.push(callerIdFsk({ number: `0108${String(2000000 + call * 104729).slice(-7)}`, name: 'CALLER', datetime: '06151230' }, { standard }));
  }
  parts.push(silence(2000));
  const digits = String(call * 7 + 13).padStart(3, '0') + '#';
  parts.push(dtmfDigits(digits, { onMs: 90, offMs: 110, levelDbm0: -8 }));
  for (let turn = 0; turn < 4; turn++) {
    parts.push(speechLike(6 + ((call + turn) % 5), call * 10 + turn + 1, -16 - (turn % 3) * 3));
    parts.push(silence(400 + turn * 300));
  }
  parts.push(toneCadence([450], 350, 350, 4.2, -15), silence(500));
  return { audio: concat(...parts), digits };
}

/** Calls one after another, then idle line, to `SECONDS` of line audio: what one channel carries. */
function buildLine(): Line {
  const calls: Int16Array[] = [];
  const digitStrings: string[] = [];
  let samples = 0;
  for (let call = 0; ; call++) {
    const c = buildCall(call);
    if (samples + c.audio.length > SECONDS * 8000) break;
    calls.push(c.audio);
    digitStrings.push(c.digits);
    samples += c.audio.length;
  }
  const pcm = concat(...calls, silence(SECONDS * 1000 - samples / 8));
  const line = mix(pcm, lineNoise(pcm.length, -65, 7));
  return { audio: alawEncode(line), seconds: line.length / 8000, callerIds: calls.length, digitStrings, busyTones: calls.length };
}

/** Runs `feed` over the line in 20 ms blocks (after A-law decoding); returns CPU seconds. */
function timed(line: Line, feed: (pcm: Int16Array, atMs: number) => void): number {
  const pcm = new Int16Array(BLOCK);
  const audio = line.audio;
  const t0 = process.cpuUsage();
  for (let i = 0; i + BLOCK <= audio.length; i += BLOCK) {
    alawDecode(audio.subarray(i, i + BLOCK), pcm);
    feed(pcm, i / 8);
  }
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1e6;
}

function best(rounds: number, run: () => number): number {
  run(); // warm-up (JIT)
  let min = Infinity;
  for (let r = 0; r < rounds; r++) min = Math.min(min, run());
  return min;
}

function print(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  process.stdout.write(`BENCH ${name} ${value.toFixed(digits)} ${unit}\n`);
}

function main(): void {
  const line = buildLine();
  process.stdout.write(
    `dsp-pipeline: ${line.seconds} s of line audio (${line.callerIds} calls with caller ID, dialled digits, talk, busy tone), ` +
      `20 ms blocks, best of ${ROUNDS} rounds\n`,
  );

  // What the detector hears, checked before timing.
  const heard = { callerIds: 0, digits: '', tones: 0 };
  const check = new ChannelSignalDetector({
    onDigit: (d) => (heard.digits += d),
    onCallerId: () => heard.callerIds++,
    onTone: (tone) => (heard.tones += tone === 'busy' ? 1 : 0),
    onVoice() {},
  });
  timed(line, (pcm, t) => check.process(pcm, t));
  const wanted = line.digitStrings.join('');
  if (heard.callerIds !== line.callerIds || heard.digits !== wanted || heard.tones !== line.busyTones) {
    throw new Error(
      `detector missed signals: caller IDs ${heard.callerIds}/${line.callerIds}, digits '${heard.digits}' vs '${wanted}', busy ${heard.tones}/${line.busyTones}`,
    );
  }

  const full = best(ROUNDS, () => {
    const det = new ChannelSignalDetector({ onDigit() {}, onCallerId() {}, onTone() {}, onVoice() {} });
    return timed(line, (pcm, t) => det.process(pcm, t));
  });
  const channelsPerCore = line.seconds / full;
  print('dsp_channels_per_core', channelsPerCore, 'channels');
  print('dsp_64ch_core_percent', (100 * 64) / channelsPerCore, '%core');

  const parts: Array<[string, () => (pcm: Int16Array) => void]> = [
    ['alaw_decode', () => () => {}],
    ['dtmf', () => {
      const rx = new DtmfReceiver();
      const none = () => {};
      return (pcm) => rx.process(pcm, none);
    }],
    ['fsk_bell202_v23', () => {
      const a = new FskCallerIdReceiver('bell202');
      const b = new FskCallerIdReceiver('v23');
      const none = () => {};
      return (pcm) => {
        a.process(pcm, none);
        b.process(pcm, none);
      };
    }],
    ['voice_level', () => {
      const vad = new VoiceActivityDetector();
      const none = () => {};
      return (pcm) => vad.process(pcm, none);
    }],
    ['tones', () => {
      const cp = new CallProgressDetector();
      const none = () => {};
      return (pcm) => cp.process(pcm, none);
    }],
  ];
  for (const [name, make] of parts) {
    const cpu = best(ROUNDS, () => {
      const feed = make();
      return timed(line, (pcm) => feed(pcm));
    });
    print(`dsp_${name}_only`, line.seconds / cpu, 'channels');
  }
}

main();
