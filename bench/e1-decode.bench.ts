/**
 * CPU of the E1 decoders per E1 port, as a multiple of real time (× realtime:
 * seconds of line decoded per CPU second) and as % of one core for a port.
 *
 * 1. PRI D-channel: both directions of TS16 of the pri_sim vectors (11.5 s,
 *    four calls; mostly idle flags, as a real D-channel) through the PRI tap
 *    in 20 ms chunks: HDLC, LAPD, Q.931 and the calls.
 * 2. MFC-R2 tone detection over 30 timeslots: the two-out-of-six detector on
 *    both directions of 30 timeslots (60 detectors; forward and backward
 *    group) of the r2_china voice (26 s of register signalling, ringback and
 *    speech stand-ins), 20 ms chunks. The CAS tap only runs detectors while a
 *    timeslot is in its register phase; this is the worst case, all of them
 *    at once.
 *
 *   node --import tsx bench/e1-decode.bench.ts
 */
import { readFileSync } from 'node:fs';
import { parseWavHeader } from '../firmware/audio/wav.ts';
import { createPriTap } from '../firmware/e1/pri-tap.ts';
import { R2ToneDetector } from '../firmware/e1/r2-tones.ts';

const V = new URL('../../shared/e1-vectors/', import.meta.url).pathname;
const CHUNK = 160;

function cpuSeconds(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

function line(name: string, value: number, unit: string): void {
  const v = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(3);
  console.log(`BENCH ${name} ${v} ${unit}`);
}

// ---- PRI
const a = readFileSync(V + 'pri_sim/ts16_hdlc_net2user.bin');
const b = readFileSync(V + 'pri_sim/ts16_hdlc_user2net.bin');
const priRuns = 20;
const runPri = () => {
  const tap = createPriTap();
  for (let i = 0; i < a.length; i += CHUNK) {
    const at = (i + CHUNK) / 8;
    tap.push('a', a.subarray(i, i + CHUNK), at);
    tap.push('b', b.subarray(i, i + CHUNK), at);
  }
  tap.tick(a.length / 8 + 1000);
};
runPri();
const priCpu = cpuSeconds(() => {
  for (let r = 0; r < priRuns; r++) runPri();
});
const priLine = (priRuns * a.length) / 8000;
line('e1_pri_dchannel_realtime', priLine / priCpu, 'x_realtime_per_port');
line('e1_pri_dchannel_cpu_per_port', (100 * priCpu) / priLine, '%core');

// ---- R2 tones, 30 timeslots × 2 directions
const wav = (name: string) => {
  const f = readFileSync(V + 'r2_china/' + name);
  const h = parseWavHeader(f, f.length);
  return f.subarray(h.dataOffset, h.dataOffset + h.dataBytes);
};
const fwd = wav('AtoB_ts01.wav');
const bwd = wav('BtoA_ts01.wav');
const runR2 = () => {
  const dets = Array.from({ length: 30 }, () => [new R2ToneDetector('forward'), new R2ToneDetector('backward')] as const);
  let tones = 0;
  const count = (e: { on: boolean }) => void (e.on && tones++);
  for (let i = 0; i < fwd.length; i += CHUNK) {
    for (const [f, k] of dets) {
      f.process(fwd.subarray(i, i + CHUNK), count);
      k.process(bwd.subarray(i, i + CHUNK), count);
    }
  }
  return tones;
};
const r2Cpu = cpuSeconds(() => runR2());
const r2Line = fwd.length / 8000;
line('e1_r2_tones_30ts_realtime', r2Line / r2Cpu, 'x_realtime_per_port');
line('e1_r2_tones_30ts_cpu_per_port', (100 * r2Cpu) / r2Line, '%core');
