/**
 * The daemon's side of the built-in MP3 encoder: one worker thread per file,
 * fed 16-bit PCM chunks one request at a time (so at most one chunk in and one
 * chunk out are in flight: bounded memory whatever the recording's length).
 *
 * Where the worker's code comes from, so that it works both from TypeScript
 * sources under tsx and from a single-file esbuild bundle of the daemon:
 *  1. mp3-encode-worker.{mjs,js,ts} next to this module, if it is on the disk
 *     (a build that emits the worker as a second entry point; or the sources
 *     under tsx, where the worker registers tsx's loader before importing it);
 *  2. otherwise this module was bundled, and import.meta.url is the bundle:
 *     the bundle is started as the worker with workerData.holdBundle set;
 *     mp3-encode-worker.ts, bundled in it, serves the port and holds back the
 *     rest of the bundle (the daemon's start-up) with a pending top-level await.
 * An `eval` worker importing the package by name would need node_modules on
 * the box, which a single-file bundle does not have.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MP3_WORKER_ROLE, type Mp3WorkerData, type Mp3WorkerReply, type Mp3WorkerRequest } from './mp3-encode-worker.ts';
import { TranscodeError } from './transcode-error.ts';

/** Starts the encoder worker from wherever its code is (see above). */
function startWorker(workerData: Omit<Mp3WorkerData, 'holdBundle'>): Worker {
  for (const name of ['./mp3-encode-worker.mjs', './mp3-encode-worker.js', './mp3-encode-worker.ts']) {
    const url = new URL(name, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    if (!name.endsWith('.ts')) return new Worker(url, { workerData: { ...workerData, holdBundle: false } });
    // Node 20 does not apply the daemon's `--import tsx` to a worker's entry:
    // the worker registers tsx's loader itself, then imports the TypeScript file.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
    const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true, workerData: { ...workerData, holdBundle: false } });
  }
  return new Worker(new URL(import.meta.url), { workerData: { ...workerData, holdBundle: true } });
}

export class Mp3WorkerEncoder {
  private waiting: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Mp3WorkerReply) => {
      if (reply.type === 'mp3') this.settle(null, reply.bytes);
      else this.fail(new TranscodeError('ENCODER_FAILED', reply.message));
    });
    worker.on('error', (e) => this.fail(new TranscodeError('ENCODER_FAILED', `MP3 encoder worker: ${e.message}`)));
    worker.on('exit', (code) => this.fail(new TranscodeError('ENCODER_FAILED', `MP3 encoder worker exited (code ${code})`)));
  }

  /** Starts a worker encoding mono `sampleRate` Hz PCM to CBR MP3 at `kbps`. */
  static start(sampleRate: number, kbps: number): Mp3WorkerEncoder {
    return new Mp3WorkerEncoder(startWorker({ role: MP3_WORKER_ROLE, sampleRate, kbps }));
  }

  /** MP3 bytes for these samples (the worker takes over their memory). */
  encode(samples: Int16Array): Promise<Uint8Array> {
    const own = samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength ? samples : samples.slice();
    return this.request({ type: 'pcm', samples: own }, [own.buffer as ArrayBuffer]);
  }

  /** The encoder's last frames. */
  finish(): Promise<Uint8Array> {
    return this.request({ type: 'end' }, []);
  }

  async close(): Promise<void> {
    this.failure ??= new TranscodeError('ENCODER_FAILED', 'MP3 encoder closed');
    await this.worker.terminate();
  }

  private request(req: Mp3WorkerRequest, transfer: ArrayBuffer[]): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('MP3 encoder: one request at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(req, transfer);
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.settle(this.failure, null);
  }

  private settle(e: Error | null, bytes: Uint8Array | null): void {
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    if (e) w.reject(e);
    else w.resolve(bytes!);
  }
}
