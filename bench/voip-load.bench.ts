/**
 * VoIP load: N concurrent calls (two phones each, so two RTP streams of
 * 20 ms A-law packets per call) pushed through the phones' record-server
 * protocol for BENCH_VOIP_SECONDS, the recorder and the load generator each
 * in its own process. For each N: the recorder's CPU (% of one core) and
 * RSS over the sending window, packets lost, and whether every recording is
 * correct (all packets, the duration sent, the stream's tone in the file).
 * Then the largest N of the list recorded cleanly.
 *
 *   node --import tsx bench/voip-load.bench.ts
 *   BENCH_VOIP_CALLS=64,256,512,1000 BENCH_VOIP_SECONDS=60 node --import tsx bench/voip-load.bench.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const list = (process.env.BENCH_VOIP_CALLS ?? '64,256,512,1000').split(',').map(Number);
const seconds = Number(process.env.BENCH_VOIP_SECONDS ?? 60);

function next(child: ChildProcess, op: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const on = (m: any) => {
      if (m.op !== op) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.once('exit', (code) => reject(new Error(`${op}: child exited (${code})`)));
  });
}

const bench = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`);

let best = 0;
for (const [k, calls] of list.entries()) {
  const execArgv = ['--import', 'tsx'];
  const recorder = fork(path.join(here, 'voip-load-recorder.ts'), [], { execArgv: process.env.BENCH_VOIP_PROFILE ? [...execArgv, '--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_VOIP_PROFILE}`] : execArgv, env: { ...process.env, RTP_PORT_MIN: String(20000 + k * 9000 > 56000 ? 20000 : 20000 + k * 9000) } });
  const ready = await next(recorder, 'ready');
  const gen = fork(path.join(here, 'voip-load-gen.ts'), [], { execArgv, env: { ...process.env, CALLS: String(calls), SECONDS: String(seconds), PHONE_PORT: String(ready.port) } });
  await next(gen, 'started');
  recorder.send({ op: 'window-start' });
  await next(recorder, 'window-start');
  const done = next(gen, 'done');
  await new Promise((r) => setTimeout(r, seconds * 1000 - 200));
  recorder.send({ op: 'window-end' });
  const w = await next(recorder, 'window-end');
  const d = await done;
  recorder.send({ op: 'check', expect: d.expect });
  const c = await next(recorder, 'check');
  recorder.send({ op: 'stop' });
  await new Promise((r) => recorder.once('exit', r));
  const clean = c.ok === c.total && c.lost === 0;
  if (clean) best = Math.max(best, calls);
  console.log(`voip-load: ${calls} calls (${calls * 2} streams, ${calls * 100} packets/s), ${seconds} s: ${c.ok}/${c.total} recordings correct, ${c.lost} lost, ${c.late} late; the generator ended ${d.senderLateMs.toFixed(0)} ms behind its schedule${c.bad.length ? `; ${c.bad.join('; ')}` : ''}`);
  bench(`voip_recorder_cpu_${calls}calls`, w.cpuPct, '%core');
  bench(`voip_recorder_rss_${calls}calls`, w.rssMiB, 'MiB');
  bench(`voip_packets_lost_${calls}calls`, c.lost, 'packets');
  bench(`voip_recordings_correct_${calls}calls`, (100 * c.ok) / c.total, '%');
}
bench('voip_max_clean_calls', best, 'calls');
