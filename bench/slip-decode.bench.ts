/**
 * Micro-benchmark of the line-card receive path: SLIP decoding of a realistic
 * 64-channel byte stream with our `SlipDecoder` (firmware/linecard/slip.ts)
 * versus serialport's `SlipDecoder` (a Transform stream that grows its frame
 * with `Buffer.concat` byte by byte), then `decodeMessage` on every frame.
 *
 * The stream is 10 s of traffic of a 64-line card: 64 channels × 50 AUDIO
 * frames/s of 20 ms A-law speech-like audio (so escaped 0xC0/0xDB bytes occur
 * as on the real link) = 32000 frames, cut into 4096-byte chunks as a UART or
 * SPI read delivers them.
 *
 *   node --import tsx bench/slip-decode.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>` lines. `SLIP_BENCH_ROUNDS` (default 5)
 * sets how many times serialport's decoder and `decodeMessage` run (ours runs
 * four times as often, being much faster); the best round is reported.
 */
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { SlipDecoder as SerialportSlipDecoder } from 'serialport';
import { alawEncode } from '../firmware/dsp/g711.ts';
import { AudioCodec, decodeMessage, encodeMessage, isDecodeFailure } from '../firmware/linecard/messages.ts';
import { SlipDecoder, slipEncode } from '../firmware/linecard/slip.ts';

const CHANNELS = 64;
const SECONDS = 10;
const BLOCK_SAMPLES = 160;
const BLOCKS_PER_SECOND = 8000 / BLOCK_SAMPLES;
const CHUNK_BYTES = 4096;
const ROUNDS = Math.max(1, Number(process.env.SLIP_BENCH_ROUNDS ?? 5) || 5);

/** Deterministic speech-like audio: a few drifting formants over noise, with syllable envelopes. */
function speechLike(samples: number, seed: number): Int16Array {
  let state = seed * 2654435761 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0x1_0000_0000) * 2 - 1;
  };
  const out = new Int16Array(samples);
  const f = [300 + 200 * Math.abs(rand()), 900 + 600 * Math.abs(rand()), 2200 + 500 * Math.abs(rand())];
  const phase = [0, 0, 0];
  for (let i = 0; i < samples; i++) {
    const syllable = Math.max(0, Math.sin((2 * Math.PI * i) / 1600 + seed));
    let v = 0;
    for (let k = 0; k < 3; k++) {
      phase[k] = phase[k]! + (2 * Math.PI * f[k]!) / 8000;
      v += Math.sin(phase[k]!) / (k + 1);
    }
    v = v * 0.6 + rand() * 0.15;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v * syllable * 9000)));
  }
  return out;
}

/** The byte stream the card sends in `SECONDS` seconds, and its frame count. */
function buildStream(): { bytes: Buffer; frames: Buffer[]; escapedBytes: number } {
  const audio: Uint8Array[] = [];
  for (let ch = 0; ch < CHANNELS; ch++) audio.push(alawEncode(speechLike(8000 * SECONDS, ch + 1)));
  const frames: Buffer[] = [];
  const wire: Buffer[] = [];
  let escapedBytes = 0;
  for (let block = 0; block < SECONDS * BLOCKS_PER_SECOND; block++) {
    for (let ch = 0; ch < CHANNELS; ch++) {
      const samples = Buffer.from(audio[ch]!.subarray(block * BLOCK_SAMPLES, (block + 1) * BLOCK_SAMPLES));
      const frame = encodeMessage({ type: 'audio', channel: ch, codec: AudioCodec.Alaw, seq: block & 0xffff, samples });
      const framed = slipEncode(frame);
      escapedBytes += framed.length - frame.length - 2;
      frames.push(frame);
      wire.push(framed);
    }
  }
  return { bytes: Buffer.concat(wire), frames, escapedBytes };
}

function chunksOf(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let o = 0; o < bytes.length; o += CHUNK_BYTES) chunks.push(Buffer.from(bytes.subarray(o, o + CHUNK_BYTES)));
  return chunks;
}

interface Run {
  ms: number;
  frames: number;
  payloadBytes: number;
}

function runOurs(chunks: Buffer[]): Run {
  const decoder = new SlipDecoder();
  let frames = 0;
  let payloadBytes = 0;
  const onFrame = (f: Buffer) => {
    frames++;
    payloadBytes += f.length;
  };
  const t0 = performance.now();
  for (const c of chunks) decoder.push(c, onFrame);
  return { ms: performance.now() - t0, frames, payloadBytes };
}

async function runSerialport(chunks: Buffer[]): Promise<Run> {
  const decoder = new SerialportSlipDecoder();
  let frames = 0;
  let payloadBytes = 0;
  decoder.on('data', (f: Buffer) => {
    if (f.length === 0) return;
    frames++;
    payloadBytes += f.length;
  });
  const ended = once(decoder, 'end');
  const t0 = performance.now();
  for (const c of chunks) if (!decoder.write(c)) await once(decoder, 'drain');
  decoder.end();
  await ended;
  return { ms: performance.now() - t0, frames, payloadBytes };
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function print(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  process.stdout.write(`BENCH ${name} ${value.toFixed(digits)} ${unit}\n`);
}

async function main(): Promise<void> {
  const { bytes, frames, escapedBytes } = buildStream();
  const chunks = chunksOf(bytes);
  const expectedPayload = frames.reduce((n, f) => n + f.length, 0);
  process.stdout.write(
    `slip-decode: ${frames.length} AUDIO frames (${CHANNELS} channels × ${SECONDS} s), ${(bytes.length / 1e6).toFixed(2)} MB on the wire ` +
      `(${escapedBytes} escape bytes), ${chunks.length} chunks of ${CHUNK_BYTES} bytes, best of ${ROUNDS * 4} rounds (ours) and ${ROUNDS} (serialport, decodeMessage)\n`,
  );

  const check = (who: string, r: Run) => {
    if (r.frames !== frames.length || r.payloadBytes !== expectedPayload) {
      throw new Error(`${who}: decoded ${r.frames} frames / ${r.payloadBytes} bytes, expected ${frames.length} / ${expectedPayload}`);
    }
  };

  // Ours takes milliseconds per round: more rounds, after a JIT warm-up.
  for (let i = 0; i < 5; i++) runOurs(chunks);
  const ours: Run[] = [];
  for (let i = 0; i < ROUNDS * 4; i++) ours.push(runOurs(chunks));
  ours.forEach((r) => check('SlipDecoder', r));

  await runSerialport(chunks.slice(0, 64)); // warm-up
  const theirs: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) theirs.push(await runSerialport(chunks));
  theirs.forEach((r) => check('serialport SlipDecoder', r));

  // decodeMessage (CRC check + parse) on every frame.
  const decodeAll = () => {
    const t0 = performance.now();
    for (const f of frames) {
      const m = decodeMessage(f);
      if (isDecodeFailure(m) || m.type !== 'audio') throw new Error(`frame did not decode: ${JSON.stringify(m)}`);
    }
    return performance.now() - t0;
  };
  decodeAll();
  let decodeMs = Infinity;
  for (let i = 0; i < ROUNDS; i++) decodeMs = Math.min(decodeMs, decodeAll());

  const o = best(ours);
  const t = best(theirs);
  const oursMBs = bytes.length / 1e6 / (o.ms / 1000);
  const theirsMBs = bytes.length / 1e6 / (t.ms / 1000);
  const wireBytesPerSecond = bytes.length / SECONDS;
  print('slip_decode_ours', oursMBs, 'MB/s');
  print('slip_decode_serialport', theirsMBs, 'MB/s');
  print('slip_speedup', oursMBs / theirsMBs, 'x');
  print('frame_decode', frames.length / (decodeMs / 1000), 'frames/s');
  // What one 64-line card's traffic (per second of audio) costs on this machine.
  print('slip_decode_ours_64ch_load', (100 * (o.ms / SECONDS)) / 1000, '%core');
  print('slip_decode_serialport_64ch_load', (100 * (t.ms / SECONDS)) / 1000, '%core');
  print('frame_decode_64ch_load', (100 * (decodeMs / SECONDS)) / 1000, '%core');
  process.stdout.write(`slip-decode: link carries ${(wireBytesPerSecond / 1000).toFixed(0)} kB/s for ${CHANNELS} channels\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`slip-decode: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
