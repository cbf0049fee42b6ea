/**
 * CPU of tapping 4 E1 ports at full load in the daemon: every voice timeslot
 * of every port in an answered call (120 timeslots recording, two legs each,
 * stereo A-law WAVs), ports 0-1 ISDN PRI and ports 2-3 China No.1, with
 * their signalling decoded. The whole host path runs — SLIP, CRC, E1 block
 * reassembly, TS16 to the taps, both directions of every timeslot to its
 * recording, files flushed to disk and indexed — in one process with a
 * virtual clock, the simulated card on an in-memory link.
 *
 * The card's own cost (making the traffic: HDLC, MFC-R2 tones, A-law, SLIP) is
 * measured alone over the same traffic and taken away. Figures: the daemon's
 * E1 work as % of one core and × realtime (seconds of 4-port traffic per CPU
 * second), per port, and how many timeslots were recording.
 *
 *   node --import tsx bench/e1-tap.bench.ts        (E1_BENCH_SECONDS, default 30)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimulatedLineCard } from '../firmware/sim/linecard-card.ts';
import { VirtualClock } from '../firmware/sim/virtual-clock.ts';
import { e1TrafficPorts } from '../firmware/sim/e1/e1-traffic.ts';
import { encodeMessage } from '../firmware/linecard/messages.ts';
import { SYSTEM } from '../firmware/app/principal.ts';
import { slipEncode } from '../firmware/linecard/slip.ts';
import type { E1Signalling } from '../firmware/sim/e1/e1-port-model.ts';
import { startSimBox } from '../test/support/sim-box.ts';

const SECONDS = Math.max(10, Number(process.env.E1_BENCH_SECONDS ?? 30) || 30);
const SIGNALLING: E1Signalling[] = ['pri', 'pri', 'china-no1', 'china-no1'];

function line(name: string, value: number, unit: string): void {
  const v = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  console.log(`BENCH ${name} ${v} ${unit}`);
}

function cpuSince(t0: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

function board(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e1-bench-board-'));
  const file = path.join(dir, 'board.json');
  fs.writeFileSync(file, JSON.stringify({
    model: 'bench-e1', name: 'RDT E1 ports only', linecard: { transport: 'uart', device: 'unused', baudRate: 3000000 },
    channels: { analog: 0, e1: 4, voip: 0 },
    gpio: { driver: 'sim', activeLow: false, lines: { pwr: 0, run: 1, link: 2, half: 3, full: 4, buzzer: 5 } },
    storage: { kind: 'dir', mount: 'unused' },
    capabilities: { analogRecording: 0, e1Recording: true, voipRecording: false, cloud: false },
  }));
  return file;
}

/** The card alone, its four ports switched on, output counted and dropped. */
async function cardAlone(): Promise<{ cpu: number; bytes: number }> {
  const clock = new VirtualClock(Date.now());
  const card = new SimulatedLineCard({ clock, channelCount: 0, sources: [], e1Ports: e1TrafficPorts({ seed: 7, signalling: SIGNALLING, full: true }) });
  let bytes = 0;
  let toCard: ((chunk: Buffer) => void) | null = null;
  card.attach({ write: (d) => void (bytes += d.length), onData: (l) => void (toCard = l), onClose: () => undefined, close: async () => undefined });
  card.start();
  for (let port = 0; port < 4; port++) toCard!(slipEncode(encodeMessage({ type: 'e1Configure', seq: port + 1, port, enabled: true, crc4: true })));
  const t0 = process.cpuUsage();
  for (let t = 0; t < SECONDS * 1000; t += 10) {
    clock.advance(10);
    if (t % 200 === 0) await new Promise<void>((r) => setImmediate(r));
  }
  const cpu = cpuSince(t0);
  card.stop();
  return { cpu, bytes };
}

async function daemonWithCard(): Promise<{ cpu: number; recording: number; indexed: number; blocks: number }> {
  const box = await startSimBox({
    sources: [], board: board(), e1Ports: e1TrafficPorts({ seed: 7, signalling: SIGNALLING, full: true }),
    settings: { version: 2, e1: { '2': { signalling: 'china-no1' }, '3': { signalling: 'china-no1' } } },
  });
  try {
    const t0 = process.cpuUsage();
    await box.run(SECONDS * 1000);
    const cpu = cpuSince(t0);
    const ports = box.services.trunks.list();
    const indexed = (await box.services.records.search(SYSTEM, { portType: 'e1', limit: 1, offset: 0 })).total;
    return {
      cpu,
      recording: ports.reduce((n, p) => n + p.recordings, 0),
      indexed,
      blocks: ports.reduce((n, p) => n + p.blocks, 0),
    };
  } finally {
    await box.stop();
    fs.rmSync(box.dataDir, { recursive: true, force: true });
  }
}

const card = await cardAlone();
const whole = await daemonWithCard();
const daemon = Math.max(1e-6, whole.cpu - card.cpu);
console.log(`e1-tap: ${SECONDS} s of 4 E1 ports at full load (${(card.bytes / SECONDS / 1e6).toFixed(2)} MB/s on the link); card ${card.cpu.toFixed(2)} s CPU, card + daemon ${whole.cpu.toFixed(2)} s CPU; ${whole.recording} timeslots recording at the end, ${whole.indexed} recordings indexed, ${whole.blocks} port blocks`);
line('e1_tap_daemon_cpu_4ports', (100 * daemon) / SECONDS, '%core');
line('e1_tap_daemon_cpu_per_port', (100 * daemon) / SECONDS / 4, '%core');
line('e1_tap_realtime_4ports', SECONDS / daemon, 'x realtime');
line('e1_tap_recording_timeslots', whole.recording, 'timeslots');
line('e1_tap_card_cpu_4ports', (100 * card.cpu) / SECONDS, '%core');
line('e1_tap_link_rate', card.bytes / SECONDS / 1e6, 'MB/s');
