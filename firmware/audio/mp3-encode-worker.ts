/**
 * The worker side of the built-in MP3 encoder (@breezystack/lamejs, pure
 * JavaScript, CBR). It runs in a worker thread so that encoding, which takes
 * whole seconds per recording, never holds up the daemon's event loop.
 *
 * Protocol on the parent port, strictly one reply per request:
 *   → { type: 'pcm', samples: Int16Array }   ← { type: 'mp3', bytes: Uint8Array }
 *   → { type: 'end' }                         ← { type: 'mp3', bytes } (the flushed tail)
 *   ← { type: 'error', message } on any failure.
 *
 * This module does nothing unless it is evaluated in a worker whose
 * workerData.role is MP3_WORKER_ROLE. It is started in one of two ways (see
 * mp3-worker-encoder.ts): as the worker's entry file when the file is on the
 * disk (tests, development, a build that emits it next to the daemon), or,
 * when the daemon is a single esbuild bundle, by starting the bundle itself as
 * the worker: then `holdBundle` keeps the bundle's later modules — the
 * daemon's own start-up — from ever running in the worker, by leaving this
 * module's top-level await pending while the port serves requests.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Mp3Encoder } from '@breezystack/lamejs';

export const MP3_WORKER_ROLE = 'rdx-archive-mp3-encoder';

export interface Mp3WorkerData {
  role: typeof MP3_WORKER_ROLE;
  sampleRate: number;
  kbps: number;
  /** Set when the worker's entry is the whole daemon bundle. */
  holdBundle: boolean;
}

export type Mp3WorkerRequest = { type: 'pcm'; samples: Int16Array } | { type: 'end' };
export type Mp3WorkerReply = { type: 'mp3'; bytes: Uint8Array } | { type: 'error'; message: string };

function serve(data: Mp3WorkerData): void {
  const port = parentPort!;
  let encoder: Mp3Encoder;
  try {
    encoder = new Mp3Encoder(1, data.sampleRate, data.kbps);
  } catch (e) {
    port.postMessage({ type: 'error', message: `MP3 encoder: ${String((e as Error)?.message ?? e)}` } satisfies Mp3WorkerReply);
    return;
  }
  port.on('message', (req: Mp3WorkerRequest) => {
    try {
      const bytes = req.type === 'pcm' ? encoder.encodeBuffer(req.samples) : encoder.flush();
      // A fresh Int8Array per call (lamejs copies out of its own buffer): hand its memory over as bytes.
      const out = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      port.postMessage({ type: 'mp3', bytes: out } satisfies Mp3WorkerReply, [out.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ type: 'error', message: `MP3 encoder: ${String((e as Error)?.message ?? e)}` } satisfies Mp3WorkerReply);
    }
  });
}

const data = workerData as Partial<Mp3WorkerData> | null;
if (!isMainThread && data?.role === MP3_WORKER_ROLE) {
  serve(data as Mp3WorkerData);
  if (data.holdBundle) await new Promise<never>(() => {});
}
