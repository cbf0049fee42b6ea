/**
 * The recorder's cost per RTP packet without the kernel: N streams of 20 ms
 * A-law packets are handed to the streams' UDP sockets as Node hands them a
 * datagram (`socket.emit('message', msg, rinfo)`, the handler the media layer
 * installed), and the media layer's 20 ms playout tick and the recorder's
 * 100 ms flush run on a virtual clock, writing real files to a temporary
 * folder. What is measured is everything the recorder does per packet after
 * Node's UDP receive: sender check, RTP header, jitter buffer, playout,
 * decoding, the recording's codec and the file writes.
 *
 *   node --import tsx bench/voip-packet-path.bench.ts
 *   BENCH_PACKET_STREAMS=2000 BENCH_PACKET_SECONDS=10 BENCH_PACKET_SHAPE=phone node --import tsx bench/voip-packet-path.bench.ts
 *   BENCH_CALLGRIND=1 node --import tsx bench/voip-packet-path.bench.ts      # instructions per packet (valgrind)
 *
 * Shapes: `phone` (the phones' record server: one stream per session, a
 * one-leg recording each, as bench/voip-load.bench.ts sends) and `siprec`
 * (two streams per call, one stereo recording). CPU is process.cpuUsage()
 * (user + system) over the packets after a warm-up of 2 simulated seconds;
 * the best of BENCH_PACKET_ROUNDS (default 3) rounds is reported. Prints:
 *   voip_packet_cpu_<shape>          µs of CPU per packet, all of it
 *   voip_packet_receive_cpu_<shape>  of which the socket handler (receive)
 *   voip_packet_playout_cpu_<shape>  of which playout ticks and file writes
 * With BENCH_CALLGRIND=1 the bench runs itself once under
 * `valgrind --tool=callgrind` (BENCH_CALLGRIND_STREAMS streams, default 400,
 * 2 simulated seconds after the warm-up, one round, V8 single-threaded),
 * counting instructions only over the measured ticks (`callgrind_control`
 * turns the instrumentation on and off), and prints:
 *   voip_packet_instructions_<shape>  instructions per packet
 * BENCH_PACKET_PROFILE=<file.cpuprofile> writes a CPU profile of the
 * measured ticks of the first round (for Chrome DevTools).
 */
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { Recorder } from '../firmware/recording/recorder.ts';
import { FileFinisher } from '../firmware/recording/file-finisher.ts';
import { EventBus } from '../firmware/events/event-bus.ts';
import { AudioTap } from '../firmware/events/audio-tap.ts';
import { VirtualClock } from '../firmware/sim/virtual-clock.ts';
import { VoipMediaServer, type MediaSettings } from '../firmware/voip/media/voip-media.ts';
import type { MediaCall } from '../firmware/voip/media/media-call.ts';
import { linearToAlaw } from '../firmware/dsp/g711.ts';

const shape = (process.env.BENCH_PACKET_SHAPE ?? 'phone') as 'phone' | 'siprec';
const streamCount = Number(process.env.BENCH_PACKET_STREAMS ?? 2000);
const seconds = Number(process.env.BENCH_PACKET_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_PACKET_ROUNDS ?? 3);
const WARMUP_TICKS = 100;
const profileFile = process.env.BENCH_PACKET_PROFILE;
/** Run by BENCH_CALLGRIND: instructions are counted over the measured ticks only. */
const underCallgrind = process.env.BENCH_PACKET_UNDER_CALLGRIND === '1';
let profiled = false;
const quiet = { info() {}, warn() {}, error() {} };
const bench = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`);

interface Feed {
  socket: { emit(event: 'message', msg: Buffer, rinfo: object): boolean };
  packet: Buffer;
  rinfo: { address: string; family: string; port: number; size: number };
  seq: number;
  ts: number;
}

function payloadOf(freq: number): Uint8Array {
  return Uint8Array.from({ length: 160 }, (_, i) => linearToAlaw(Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000))));
}

/** One round: opens the calls, sends `seconds` of packets, closes; returns CPU µs of receive and of playout, and the packets sent. */
async function round(): Promise<{ receiveUs: number; playoutUs: number; packets: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voip-packet-'));
  const index = new RecordIndex(path.join(dir, 'index'));
  await index.open();
  const recorder = new Recorder(dir, index, 'alaw', new FileFinisher(dir, null), quiet);
  const clock = new VirtualClock(Date.parse('2026-12-02T10:00:00Z'));
  const min = 20000 + Math.floor(Math.random() * 20000);
  const settings: MediaSettings = { rtpPorts: { min, max: min + streamCount + 200 }, jitterMs: 200, silenceTimeoutS: 30, layout: 'stereo' };
  const media = new VoipMediaServer({ recorder, events: new EventBus(), tap: new AudioTap(), clock, log: quiet, capacity: streamCount, settings: () => settings, bindAddress: '127.0.0.1' });
  media.start();
  const feeds: Feed[] = [];
  const calls: MediaCall[] = [];
  try {
    const perCall = shape === 'phone' ? 1 : 2;
    for (let i = 0; i < streamCount / perCall; i++) {
      const call = media.open({ source: shape, callId: `c${i}`, direction: 'in', remoteNumber: `${1000 + i}`, localNumber: '8001', legs: perCall, at: clock.now() }) as MediaCall;
      calls.push(call);
      for (let leg = 0; leg < perCall; leg++) {
        const label = shape === 'phone' ? 'mixed' : `s${leg}`;
        await call.addStream({
          label,
          leg: shape === 'phone' ? 'mixed' : (leg as 0 | 1),
          remote: { address: '127.0.0.1', port: 0 },
          codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }, { pt: 0, name: 'PCMU', rate: 8000 }, { pt: 101, name: 'telephone-event', rate: 8000 }],
        });
        const k = feeds.length;
        const packet = Buffer.alloc(172);
        packet[0] = 0x80;
        packet[1] = 8;
        packet.writeUInt32BE(k + 1, 8);
        packet.set(payloadOf(300 + (k % 50) * 50), 12);
        feeds.push({ socket: call.streams.get(label)!.socket!, packet, rinfo: { address: '127.0.0.1', family: 'IPv4', port: 40000 + (k % 20000), size: 172 }, seq: k * 7, ts: k * 1000 });
      }
    }
    let receiveUs = 0;
    let playoutUs = 0;
    let packets = 0;
    const ticks = WARMUP_TICKS + seconds * 50;
    const profile = profileFile && !profiled ? new Session() : null;
    for (let t = 0; t < ticks; t++) {
      const measured = t >= WARMUP_TICKS;
      if (underCallgrind && t === WARMUP_TICKS) callgrind('on');
      if (profile && t === WARMUP_TICKS) {
        profile.connect();
        await profile.post('Profiler.enable');
        await profile.post('Profiler.start');
      }
      const c0 = process.cpuUsage();
      for (const f of feeds) {
        const p = f.packet;
        p[2] = (f.seq >> 8) & 0xff;
        p[3] = f.seq & 0xff;
        p.writeUInt32BE(f.ts >>> 0, 4);
        f.seq = (f.seq + 1) & 0xffff;
        f.ts += 160;
        f.socket.emit('message', p, f.rinfo);
      }
      const c1 = process.cpuUsage();
      await clock.runFor(20);
      if (t % 5 === 4) recorder.flushAll(clock.now());
      const c2 = process.cpuUsage();
      if (measured) {
        receiveUs += c1.user + c1.system - c0.user - c0.system;
        playoutUs += c2.user + c2.system - c1.user - c1.system;
        packets += feeds.length;
      }
    }
    if (underCallgrind) callgrind('off');
    if (profile) {
      const { profile: p } = await profile.post('Profiler.stop');
      fs.writeFileSync(profileFile!, JSON.stringify(p));
      profile.disconnect();
      profiled = true;
    }
    for (const call of calls) {
      const st = call.stats().streams;
      for (const s of st) if (s.lost || s.late || s.jumps || s.packets !== ticks) throw new Error(`stream ${call.id}/${s.label}: packets ${s.packets}/${ticks} lost ${s.lost} late ${s.late} jumps ${s.jumps}`);
    }
    return { receiveUs, playoutUs, packets };
  } finally {
    await media.stop();
    await recorder.drain();
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Turns callgrind's instrumentation of this process on or off (returns once it is done). */
function callgrind(state: 'on' | 'off'): void {
  const r = spawnSync('callgrind_control', ['--instr=' + state, String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control: ${r.stderr || r.stdout}`);
}

/** Instructions (Ir) per packet over the measured ticks of one run of this bench under callgrind. */
function instructionsPerPacket(): number {
  const out = path.join(os.tmpdir(), `voip-packet-callgrind-${process.pid}.out`);
  const streams = Number(process.env.BENCH_CALLGRIND_STREAMS ?? 400);
  const secs = 2;
  // --single-threaded: V8 compiles and collects on the main thread, at the same points in every run.
  const r = spawnSync('valgrind', ['--tool=callgrind', '--smc-check=all-non-file', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, '--single-threaded', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_CALLGRIND: '', BENCH_PACKET_UNDER_CALLGRIND: '1', BENCH_PACKET_STREAMS: String(streams), BENCH_PACKET_SECONDS: String(secs), BENCH_PACKET_ROUNDS: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`valgrind failed: ${r.stderr.slice(-2000)}`);
  const text = fs.readFileSync(out, 'utf8');
  fs.rmSync(out, { force: true });
  const m = /^totals:\s+(\d+)/m.exec(text);
  if (!m) throw new Error('no instruction total in the callgrind output');
  return Number(m[1]) / (streams * secs * 50);
}

if (process.env.BENCH_CALLGRIND) {
  bench(`voip_packet_instructions_${shape}`, instructionsPerPacket(), 'instructions/packet');
} else {
  let best: { receiveUs: number; playoutUs: number; packets: number } | null = null;
  for (let r = 0; r < rounds; r++) {
    const x = await round();
    if (!best || x.receiveUs + x.playoutUs < best.receiveUs + best.playoutUs) best = x;
  }
  const b = best!;
  console.log(`voip-packet-path: ${shape}, ${streamCount} streams, ${b.packets} packets measured, best of ${rounds}`);
  bench(`voip_packet_cpu_${shape}`, (b.receiveUs + b.playoutUs) / b.packets, 'us/packet');
  bench(`voip_packet_receive_cpu_${shape}`, b.receiveUs / b.packets, 'us/packet');
  bench(`voip_packet_playout_cpu_${shape}`, b.playoutUs / b.packets, 'us/packet');
}
