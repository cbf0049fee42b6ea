/**
 * SIPREC recording server under load: the server (SIP listener, media,
 * recorder writing to a temp folder) in this process, the load generator
 * (bench/siprec-load.ts) in its own. For growing numbers of concurrent calls
 * (two streams each, BENCH_SIPREC_SECONDS of RTP) it reports the server's CPU
 * and whether every packet sent was recorded. The largest count with no loss
 * and under one core is the headline figure.
 *
 *   node --import tsx bench/siprec.bench.ts            # 25, 50, 100, 150, 200, 300 calls
 *   BENCH_SIPREC_CALLS=100,400 node --import tsx bench/siprec.bench.ts
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { Recorder } from '../firmware/recording/recorder.ts';
import { FileFinisher } from '../firmware/recording/file-finisher.ts';
import { EventBus } from '../firmware/events/event-bus.ts';
import { AudioTap } from '../firmware/events/audio-tap.ts';
import { systemClock } from '../firmware/host/linux/clock.ts';
import { VoipMediaServer } from '../firmware/voip/media/voip-media.ts';
import type { VoipCall, VoipMedia } from '../firmware/voip/media/voip-call.ts';
import { SiprecListener } from '../firmware/voip/siprec/siprec-listener.ts';

const run = promisify(execFile);
const steps = (process.env['BENCH_SIPREC_CALLS'] ?? '25,50,100,150,200,300').split(',').map(Number);
const seconds = Number(process.env['BENCH_SIPREC_SECONDS'] ?? 10);

const data = fs.mkdtempSync(path.join(os.tmpdir(), 'siprec-bench-'));
const index = new RecordIndex(path.join(data, 'index'));
await index.open();
const log = pino({ level: 'silent' });
const recorder = new Recorder(data, index, 'alaw', new FileFinisher(data, null), log);
const media = new VoipMediaServer({
  recorder, events: new EventBus(), tap: new AudioTap(), clock: systemClock, log, capacity: 10_000,
  settings: () => ({ rtpPorts: { min: 40000, max: 59999 }, jitterMs: 100, silenceTimeoutS: 30, layout: 'stereo' }),
  bindAddress: '127.0.0.1',
});
media.start();
// Every call the server opens, to read its counters once it ended.
let opened: VoipCall[] = [];
const counting: Pick<VoipMedia, 'open'> = { open: (start) => { const c = media.open(start); opened.push(c); return c; } };
const sip = new SiprecListener({ media: counting, clock: systemClock, log });
await sip.start({ port: 0, udp: true, tcp: false, bindAddress: '127.0.0.1', advertisedAddress: '', minSessionExpires: 90 });

let best = 0;
for (const calls of steps) {
  opened = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/siprec-load.ts', String(sip.port), String(calls), String(seconds)], { maxBuffer: 1 << 20 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const gen = JSON.parse(stdout.trim().split('\n').pop()!) as { answered: number; refused: Record<string, number>; sent: number; lateTicks: number; seconds: number };
  await recorder.drain();
  const ended = opened.map((c) => c.stats());
  let received = 0;
  let lost = 0;
  let late = 0;
  for (const c of ended) for (const s of c.streams) { received += s.packets; lost += s.lost; late += s.late; }
  if (process.env["BENCH_SIPREC_DEBUG"]) console.log(ended.map((c) => c.streams.map((s) => s.packets).join("/") + ":" + c.endReason + ":" + c.durationMs).join(" "));
  const cpuPct = ((cpu.user + cpu.system) / 1e6 / wall) * 100;
  const clean = gen.answered === calls && received === gen.sent && lost === 0 && late === 0;
  console.log(`BENCH siprec_calls_${calls}_cpu ${cpuPct.toFixed(1)} %core`);
  console.log(`BENCH siprec_calls_${calls}_received ${received}/${gen.sent} packets (answered ${gen.answered}${Object.keys(gen.refused).length ? `, refused ${JSON.stringify(gen.refused)}` : ''}, lost ${lost}, late ${late}, generator late ticks ${gen.lateTicks})`);
  const ticks = (seconds * 1000) / 20;
  if (gen.lateTicks > ticks / 10) {
    // The generator could not keep its 20 ms pace: the packets came in bursts and the run measures the generator, not the server.
    console.log(`BENCH siprec_calls_${calls}_generator_saturated ${gen.lateTicks}/${ticks} late ticks`);
    break;
  }
  if (clean && cpuPct < 100) best = calls;
  else break;
}
console.log(`BENCH siprec_max_concurrent_calls_no_loss ${best} calls`);
await sip.stop();
await media.stop();
await index.close();
fs.rmSync(data, { recursive: true, force: true });
