/**
 * A simulated box with cloud seats for the seat tests: four lines, each
 * carrying an incoming call with FSK caller ID (ringing at 1 s, answered at
 * 7 s, hung up at 20 s), and four seats set through the administrator's API:
 * agent `a0` (line 0, group 1, pops on ringing), agent `b1` (line 1, group
 * 2), team lead `lead` (line 2, group 1, rights over the group) and manager
 * `boss` (line 3, every right over all).
 */
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { callerIdFsk, speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, type SimBox } from './sim-box.ts';
import { bearerClient, signIn, type ApiClient } from './api-client.ts';
import WebSocket from 'ws';

const S = 8000;
export const SEAT_PASSWORD = 'Seat-pass-1';
export const CALLERS = ['13800000000', '13911111111', '13722222222', '13633333333'];

/** What line `ch` carries (8 kHz PCM) from t = 0: caller ID after the first ring, then speech from the answer. */
export function lineAudio(ch: number, totalS: number, ringAt = 1, answerAt = 7, hangAt = 20): Int16Array {
  const pcm = new Int16Array(totalS * S);
  pcm.set(callerIdFsk({ number: CALLERS[ch]! }).subarray(0, pcm.length - (ringAt + 1.5) * S), (ringAt + 1.5) * S);
  pcm.set(speechLike(hangAt - answerAt, 11 + ch, -12).subarray(0, pcm.length - answerAt * S), answerAt * S);
  return pcm;
}

export interface SeatBox {
  box: SimBox;
  admin: ApiClient;
  origin: string;
  audio: Int16Array[];
  stop(): Promise<void>;
}

export async function startSeatBox(options: { totalS?: number; dataDir?: string; ringAt?: number; answerAt?: number; hangAt?: number } = {}): Promise<SeatBox> {
  const totalS = options.totalS ?? 60;
  const { ringAt = 1, answerAt = 7, hangAt = 20 } = options;
  const audio = [0, 1, 2, 3].map((ch) => lineAudio(ch, totalS, ringAt, answerAt, hangAt));
  const sources = audio.map((pcm) => new TimelineSource(
    [{ tMs: 0, state: 'onhook' }, { tMs: ringAt * 1000, state: 'ringing' }, { tMs: answerAt * 1000, state: 'offhook' }, { tMs: hangAt * 1000, state: 'onhook' }],
    pcm,
  ));
  const box = await startSimBox({ sources, web: true, dataDir: options.dataDir, config: { recording: { minFileS: 1 } } });
  const origin = `http://127.0.0.1:${box.port}`;
  const admin = await signIn(origin);
  const seats = [
    { ref: 'analog-0-0', enabled: true, account: 'a0', password: SEAT_PASSWORD, group: 1, popOn: 'ring' },
    { ref: 'analog-0-1', enabled: true, account: 'b1', password: SEAT_PASSWORD, group: 2 },
    { ref: 'analog-0-2', enabled: true, account: 'lead', password: SEAT_PASSWORD, group: 1, level: 'lead', sync: 'group', fetch: 'group', monitor: 'group' },
    { ref: 'analog-0-3', enabled: true, account: 'boss', password: SEAT_PASSWORD, group: 0, level: 'manager', sync: 'all', fetch: 'all', monitor: 'all' },
  ];
  const r = await admin.json('/api/v1/seats', { method: 'POST', body: { seats } });
  if (r.status !== 200) throw new Error(`seats not set: ${r.status} ${JSON.stringify(r.body)}`);
  return { box, admin, origin, audio, stop: () => box.stop() };
}

/** A seat client with a bearer token. */
export async function seatClient(origin: string, account: string, password = SEAT_PASSWORD): Promise<ApiClient> {
  const res = await fetch(`${origin}/api/v1/seat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, password, bearer: true }) });
  const body = await res.json() as { token?: string };
  if (res.status !== 200 || !body.token) throw new Error(`seat ${account} sign-in failed: ${res.status} ${JSON.stringify(body)}`);
  return bearerClient(origin, body.token);
}

export interface WsClient {
  ws: WebSocket;
  messages: any[];
  frames: Buffer[];
  /** Resolves with the first message (received so far or later) that passes the test. */
  waitFor(test: (m: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export async function wsClient(origin: string, token: string): Promise<WsClient> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
  const messages: any[] = [];
  const frames: Buffer[] = [];
  const waiters: Array<{ test: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      frames.push(Buffer.from(data as Buffer));
      return;
    }
    const m = JSON.parse(String(data));
    messages.push(m);
    for (const w of [...waiters]) if (w.test(m)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws, messages, frames,
    waitFor(test, timeoutMs = 5000) {
      const found = messages.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no such message in ${timeoutMs} ms; got ${JSON.stringify(messages.slice(-5))}`)), timeoutMs);
        waiters.push({ test, resolve: (m) => { clearTimeout(t); resolve(m); } });
      });
    },
    close: () => ws.close(),
  };
}

/** Samples of the audio frames of one stream (live-audio.ts), in order, with each frame's block time. */
export function streamSamples(frames: Buffer[], stream: number): { samples: Int16Array; blocks: Array<{ seq: number; at: number; n: number }> } {
  const mine = frames.filter((f) => f[0] === 1 && f.readUInt16LE(2) === stream).sort((a, b) => a.readUInt32LE(4) - b.readUInt32LE(4));
  const n = mine.reduce((k, f) => k + (f.length - 20) / 2, 0);
  const samples = new Int16Array(n);
  const blocks: Array<{ seq: number; at: number; n: number }> = [];
  let o = 0;
  for (const f of mine) {
    const k = (f.length - 20) / 2;
    for (let i = 0; i < k; i++) samples[o + i] = f.readInt16LE(20 + 2 * i);
    blocks.push({ seq: f.readUInt32LE(4), at: f.readDoubleLE(8), n: k });
    o += k;
  }
  return { samples, blocks };
}
