/**
 * Benchmark of archive transcoding: a 30-minute A-law recording of
 * speech-like audio (firmware/sim/signals.ts) transcoded to every archive
 * format, MP3 both by lame and by the built-in encoder in its worker thread.
 *
 *   node --import tsx bench/transcode.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>`:
 *   transcode_<format>            x-realtime (recorded seconds per wall-clock second)
 *   transcode_<format>_cpu        CPU ms per recorded minute (this process and its
 *                                 worker threads; for lame, the lame process)
 *   transcode_mp3_js_peak_rss     peak RSS of a process doing only a worker-path
 *                                 transcode, and transcode_baseline_peak_rss the same
 *                                 process doing an A-law copy instead
 * Environment: TRANSCODE_BENCH_MINUTES (default 30).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alawEncode } from '../firmware/dsp/g711.ts';
import { wavHeader } from '../firmware/audio/wav.ts';
import { transcodeFile, type ArchiveFormat, type TranscodeOptions } from '../firmware/audio/transcode.ts';
import { findLame } from '../firmware/audio/mp3-lame.ts';
import { speechLike } from '../firmware/sim/signals.ts';

function line(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  process.stdout.write(`BENCH ${name} ${value.toFixed(digits)} ${unit}\n`);
}

/** CPU seconds of waited-for child processes (cutime + cstime of /proc/self/stat). */
function childCpuS(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100;
}

async function child(src: string, format: ArchiveFormat, encoder: 'js' | 'auto'): Promise<void> {
  await transcodeFile(src, `${src}.${format}.out`, format, { mp3Encoder: encoder });
  process.stdout.write(`${process.resourceUsage().maxRSS}\n`);
}

async function main(): Promise<void> {
  const minutes = Number(process.env['TRANSCODE_BENCH_MINUTES'] ?? 30) || 30;
  const dir = mkdtempSync(join(tmpdir(), 'rdx-transcode-bench-'));
  try {
    const src = join(dir, 'call.wav');
    // One minute of speech-like audio repeated: the encoders see speech all along.
    const minute = alawEncode(speechLike(60, 1));
    const data = Buffer.alloc(minute.length * minutes);
    for (let m = 0; m < minutes; m++) data.set(minute, m * minute.length);
    writeFileSync(src, Buffer.concat([wavHeader('alaw', 8000, data.length), data]));
    const lame = await findLame();
    process.stderr.write(`transcode bench: ${minutes} min A-law recording; lame ${lame ?? 'not installed'}\n`);

    const runs: Array<[string, ArchiveFormat, TranscodeOptions]> = [
      ['alaw', 'alaw', {}],
      ['ulaw', 'ulaw', {}],
      ['pcm16', 'pcm16', {}],
      ['ima_adpcm', 'ima-adpcm', {}],
      ['mp3_js', 'mp3', { mp3Encoder: 'js' }],
    ];
    if (lame) runs.splice(4, 0, ['mp3_lame', 'mp3', { mp3Encoder: 'lame' }]);
    for (const [name, format, opts] of runs) {
      const cpu0 = process.cpuUsage();
      const child0 = childCpuS();
      const t0 = performance.now();
      const r = await transcodeFile(src, join(dir, `out.${name}`), format, opts);
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6 + (childCpuS() - child0);
      line(`transcode_${name}`, r.durationMs / 1000 / wallS, 'x-realtime');
      line(`transcode_${name}_cpu`, (cpuS * 1000) / minutes, 'cpu-ms/recorded-min');
      process.stderr.write(`transcode bench: ${name}: ${wallS.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU, ${(r.sizeBytes / 1e6).toFixed(2)} MB\n`);
    }

    // Peak RSS: a fresh process per path, so the figures are not each other's.
    const rss = (format: string, encoder: string): number =>
      Number(execFileSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', src, format, encoder], { encoding: 'utf8' }).trim()) / 1024;
    const base = rss('alaw', 'auto');
    const js = rss('mp3', 'js');
    line('transcode_baseline_peak_rss', base, 'MiB');
    line('transcode_mp3_js_peak_rss', js, 'MiB');
    line('transcode_mp3_js_worker_extra_rss', js - base, 'MiB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]!, args[2] as ArchiveFormat, args[3] as 'js' | 'auto');
else await main();
