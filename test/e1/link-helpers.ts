/** E1 test helpers: a small board with E1 ports, speech for each direction, and where a recording's channels match it. */
import fs from 'node:fs';
import path from 'node:path';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { locate } from '../support/audio-match.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The RDT's board file with the simulator's pseudo-terminal (var/linecard-host.pty) as its link and var/data as its disk. */
export function rdtOnPty(dir: string): string {
  const b = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../board/rdt.json'), 'utf8'));
  b.model = 'sim-rdt-pty';
  b.linecard = { transport: 'uart', device: 'var/linecard-host.pty', baudRate: 3000000 };
  b.gpio = { ...b.gpio, driver: 'sim' };
  b.storage = { kind: 'dir', mount: 'var/data' };
  delete b.i2c;
  delete b.console;
  const file = path.join(dir, 'rdt-on-pty.json');
  fs.writeFileSync(file, JSON.stringify(b));
  return file;
}

/** A board file like the RDT's with only 2 analog lines (fast in tests) and 4 E1 ports; `e1: false` for an RDS-like board. */
export function e1Board(e1 = true): string {
  const dir = tempDir('e1-board-');
  const file = path.join(dir, 'board.json');
  fs.writeFileSync(file, JSON.stringify({
    model: e1 ? 'test-rdt' : 'test-rds',
    name: 'E1 test board',
    linecard: { transport: 'uart', device: 'unused', baudRate: 3000000 },
    channels: { analog: 2, e1: e1 ? 4 : 0, voip: 0 },
    gpio: { driver: 'sim', activeLow: false, lines: { pwr: 0, run: 1, link: 2, half: 3, full: 4, buzzer: 5 } },
    storage: { kind: 'dir', mount: 'unused' },
    capabilities: { analogRecording: 2, e1Recording: e1, voipRecording: false, cloud: false },
  }));
  return file;
}

export function speech(seconds: number, seed: number): Int16Array {
  return speechLike(seconds, seed, -16);
}

/** Where (in samples) each channel of a recording lines up with its reference, and how well. */
export function matchChannels(wavFile: string, refs: Int16Array[], excerptS = 1): Array<{ offset: number; correlation: number }> {
  const wav = decodeWav(fs.readFileSync(wavFile));
  return refs.map((ref, c) => {
    const rec = wav.channels[c]!;
    // An excerpt two thirds into the recording (after answer), searched for in the reference.
    const n = excerptS * 8000;
    const recStart = Math.max(0, Math.floor((rec.length * 2) / 3) - n / 2);
    const found = locate(rec, recStart, n, ref, 0, ref.length - n);
    return found;
  });
}
