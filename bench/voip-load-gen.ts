/**
 * The load generator of the VoIP benchmark, in its own process: CALLS calls
 * of two phones each (two RTP streams per call), every phone pushing its
 * side through the record-server protocol (start, 20 ms A-law RTP, stop).
 * Each stream is a tone of its own frequency (a multiple of 50 Hz, so every
 * 20 ms packet holds the same payload). Packets are sent on a schedule kept
 * against the monotonic clock, several sessions per TCP connection.
 * Reports over IPC what each session sent.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { linearToAlaw } from '../firmware/dsp/g711.ts';

const calls = Number(process.env.CALLS ?? 100);
const seconds = Number(process.env.SECONDS ?? 10);
const port = Number(process.env.PHONE_PORT);
const SESSIONS_PER_CONNECTION = 32;

interface Stream {
  id: string;
  freq: number;
  port: number;
  seq: number;
  ts: number;
  ssrc: number;
  sent: number;
  payload: Uint8Array;
}

function payloadOf(freq: number): Uint8Array {
  return Uint8Array.from({ length: 160 }, (_, i) => linearToAlaw(Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000))));
}

async function connect(): Promise<{ socket: net.Socket; ask(line: string): Promise<string> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => socket.once('connect', () => r()).once('error', j));
  socket.setNoDelay(true);
  let buf = '';
  const waiting: Array<(l: string) => void> = [];
  socket.on('data', (d) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      waiting.shift()?.(line);
    }
  });
  return {
    socket,
    ask(line: string) {
      return new Promise((r) => {
        waiting.push(r);
        socket.write(`${line}\r\n`);
      });
    },
  };
}

const streams: Stream[] = [];
const conns: Array<Awaited<ReturnType<typeof connect>>> = [];
const sessions = calls * 2;
for (let i = 0; i < sessions; i++) {
  if (i % SESSIONS_PER_CONNECTION === 0) conns.push(await connect());
  const c = conns[conns.length - 1]!;
  const id = `s${i}`;
  const mac = (0x001a2b000000 + Math.floor(i / 2)).toString(16).padStart(12, '0');
  const reply = await c.ask(`cmd=RecordStartRequest&id=${id}&device=${mac}&remote_number=${1000 + i}&local_number=${2000 + i}&dir=${i % 2 ? 'in' : 'out'}&codec=PCMA`);
  const m = /result=success.*port=(\d+)/.exec(reply);
  if (!m) throw new Error(`start ${id} refused: ${reply}`);
  const freq = 300 + (i % 50) * 50;
  const payload = payloadOf(freq);
  streams.push({ id, freq, port: Number(m[1]), seq: i * 7, ts: i * 1000, ssrc: i + 1, sent: 0, payload });
}
const udp = dgram.createSocket('udp4');
udp.on('error', () => undefined);
await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
process.send!({ op: 'started', sessions });

const total = seconds * 50;
const start = process.hrtime.bigint();
let tick = 0;
await new Promise<void>((done) => {
  const step = () => {
    const due = Math.min(total, Math.floor(Number(process.hrtime.bigint() - start) / 20e6) + 1);
    for (; tick < due; tick++) {
      for (const s of streams) {
        // A buffer per packet: a send is asynchronous, and a late generator catching up sends many per stream at once.
        const b = Buffer.allocUnsafe(172);
        b[0] = 0x80;
        b[1] = 8;
        b.writeUInt16BE(s.seq & 0xffff, 2);
        b.writeUInt32BE(s.ts >>> 0, 4);
        b.writeUInt32BE(s.ssrc, 8);
        b.set(s.payload, 12);
        s.seq++;
        s.ts += 160;
        s.sent++;
        udp.send(b, s.port, '127.0.0.1');
      }
    }
    if (tick >= total) done();
    else setTimeout(step, 5);
  };
  step();
});
const lateBy = Number(process.hrtime.bigint() - start) / 1e6 - seconds * 1000;
await new Promise((r) => setTimeout(r, 500));
for (let i = 0; i < streams.length; i++) {
  const c = conns[Math.floor(i / SESSIONS_PER_CONNECTION)]!;
  await c.ask(`cmd=RecordStopRequest&id=${streams[i]!.id}&reason=hangup`);
}
const expect: Record<string, { packets: number; freq: number }> = {};
for (const s of streams) expect[s.id] = { packets: s.sent, freq: s.freq };
process.send!({ op: 'done', expect, senderLateMs: lateBy });
for (const c of conns) c.socket.end();
udp.close();
process.disconnect();
