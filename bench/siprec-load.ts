/**
 * SIPREC load generator (its own process): opens CALLS concurrent SIPREC
 * calls on a recording server over UDP — INVITE with two PCMA streams and
 * metadata, ACK — sends 20 ms RTP on every stream for SECONDS, then BYE,
 * and prints one JSON line: calls answered, packets sent, late sends.
 *
 *   node --import tsx bench/siprec-load.ts <sip-port> <calls> <seconds>
 */
import dgram from 'node:dgram';
import { siprecInvite } from '../test/voip/support/sip-client.ts';

const [portArg, callsArg, secondsArg] = process.argv.slice(2);
const sipPort = Number(portArg);
const calls = Number(callsArg);
const seconds = Number(secondsArg);

const sip = dgram.createSocket('udp4');
await new Promise<void>((r) => sip.bind(0, '127.0.0.1', () => r()));
const rtp = dgram.createSocket({ type: 'udp4', sendBufferSize: 4 << 20 });
await new Promise<void>((r) => rtp.bind(0, '127.0.0.1', () => r()));

interface Call { id: string; toTag: string; ports: number[]; answered: (v: void) => void; done: (v: void) => void }
const byId = new Map<string, Call>();
/** Final answers to INVITEs other than 200, by status. */
const refusals = new Map<number, number>();

sip.on('message', (msg) => {
  const text = msg.toString('latin1');
  const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1] ?? '';
  const c = byId.get(callId);
  if (!c) return;
  const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
  const cseq = /^CSeq:\s*\d+ (\w+)/im.exec(text)?.[1];
  if (cseq === 'INVITE' && status >= 300) refusals.set(status, (refusals.get(status) ?? 0) + 1);
  if (status === 200 && cseq === 'INVITE' && c.ports.length === 0) {
    c.toTag = /^To:.*;tag=([^;\s]+)/im.exec(text)?.[1] ?? '';
    c.ports = [...text.matchAll(/^m=audio (\d+)/gm)].map((m) => Number(m[1]));
    sip.send(Buffer.from(inDialog('ACK', c, 1)), sipPort, '127.0.0.1');
    c.answered();
  } else if (status === 200 && cseq === 'BYE') c.done();
});

function inDialog(method: string, c: Call, cseq: number): string {
  const { port } = sip.address();
  return [
    `${method} sip:srs@127.0.0.1:${sipPort} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${c.id}-${method}`, 'Max-Forwards: 70',
    'From: <sip:src@127.0.0.1:5061>;tag=src-1', `To: <sip:srs@127.0.0.1:5060>;tag=${c.toTag}`, `Call-ID: ${c.id}`, `CSeq: ${cseq} ${method}`, 'Content-Length: 0', '', '',
  ].join('\r\n');
}

const list: Call[] = [];
const answeredAll: Promise<void>[] = [];
for (let i = 0; i < calls; i++) {
  let answered!: (v: void) => void;
  const c: Call = { id: `load-${process.pid}-${i}`, toTag: '', ports: [], answered: () => {}, done: () => {} };
  answeredAll.push(new Promise<void>((r) => { answered = r; }));
  c.answered = answered;
  byId.set(c.id, c);
  list.push(c);
  const invite = siprecInvite(c.id);
  sip.send(invite, sipPort, '127.0.0.1');
  // As a SIP client over UDP does (RFC 3261 Timer A): the INVITE again after 0.5 s, doubling, until answered.
  const again = (wait: number) => setTimeout(() => {
    if (c.ports.length > 0 || wait > 4000) return;
    sip.send(invite, sipPort, '127.0.0.1');
    again(wait * 2);
  }, wait).unref();
  again(500);
  if (i % 20 === 19) await new Promise((r) => setTimeout(r, 20)); // a burst of 20 INVITEs at a time
}
const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000));
await Promise.race([Promise.all(answeredAll), timeout]);
const live = list.filter((c) => c.ports.length === 2 && c.ports.every((p) => p > 0));

// RTP: one 172-byte PCMA packet per stream every 20 ms, timestamps and sequence numbers per stream.
const payload = Buffer.alloc(160, 0xd5);
let sent = 0;
let lateTicks = 0;
const start = performance.now();
const ticks = Math.round((seconds * 1000) / 20);
for (let t = 0; t < ticks; t++) {
  const due = start + t * 20;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  else if (wait < -20) lateTicks++;
  for (const [ci, c] of live.entries()) {
    for (let s = 0; s < 2; s++) {
      const h = Buffer.alloc(12);
      h[0] = 0x80;
      h[1] = 8;
      h.writeUInt16BE(t & 0xffff, 2);
      h.writeUInt32BE((t * 160) >>> 0, 4);
      h.writeUInt32BE((ci * 2 + s + 1) >>> 0, 8);
      rtp.send(Buffer.concat([h, payload]), c.ports[s]!, '127.0.0.1');
      sent++;
    }
  }
}
await new Promise((r) => setTimeout(r, 300));
const byes = live.map((c) => new Promise<void>((r) => { c.done = r; sip.send(Buffer.from(inDialog('BYE', c, 2)), sipPort, '127.0.0.1'); }));
await Promise.race([Promise.all(byes), new Promise((r) => setTimeout(r, 5000))]);
console.log(JSON.stringify({ calls, answered: live.length, refused: Object.fromEntries(refusals), sent, lateTicks, seconds: (performance.now() - start) / 1000 }));
sip.close();
rtp.close();
