/** RTP for tests: packets of a known signal, impaired (loss, reordering, duplicates) with a seeded generator. */
import dgram from 'node:dgram';
import { alawEncode, ulawEncode } from '../../firmware/dsp/g711.ts';
import { prng } from '../../firmware/sim/signals.ts';

export function rtpPacket(pt: number, seq: number, ts: number, ssrc: number, payload: Uint8Array, marker = false): Buffer {
  const b = Buffer.alloc(12 + payload.length);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  b.set(payload, 12);
  return b;
}

export { prng } from '../../firmware/sim/signals.ts';

export interface Impairment {
  /** Share of packets never sent. */
  loss?: number;
  /** Share of packets swapped with the next one. */
  reorder?: number;
  /** Share of packets sent twice. */
  duplicate?: number;
  seed?: number;
}

/**
 * The 20 ms packets of `samples` in a codec, grouped by the 20 ms step at
 * which they are sent, after loss, reordering and duplication.
 */
export function packetise(samples: Int16Array, codec: 'PCMA' | 'PCMU', ssrc: number, imp: Impairment = {}): { steps: Buffer[][]; dropped: Set<number> } {
  const rand = prng(imp.seed ?? 1);
  const pt = codec === 'PCMA' ? 8 : 0;
  const encode = codec === 'PCMA' ? alawEncode : ulawEncode;
  const steps: Buffer[][] = [];
  const dropped = new Set<number>();
  const seq0 = Math.floor(rand() * 60000);
  const ts0 = Math.floor(rand() * 2 ** 31);
  for (let i = 0, k = 0; i + 160 <= samples.length; i += 160, k++) {
    steps.push([]);
    if (rand() < (imp.loss ?? 0)) {
      dropped.add(k);
      continue;
    }
    const p = rtpPacket(pt, seq0 + k, ts0 + i, ssrc, encode(samples.subarray(i, i + 160)));
    steps[k]!.push(p);
    if (rand() < (imp.duplicate ?? 0)) steps[k]!.push(p);
  }
  for (let k = 0; k + 1 < steps.length; k++) {
    if (steps[k]!.length && rand() < (imp.reorder ?? 0)) {
      // Sent one step late: after the next packet.
      steps[k + 1]!.push(...steps[k]!.splice(0));
    }
  }
  return { steps, dropped };
}

export async function udpClient(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

export function send(s: dgram.Socket, b: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
  return new Promise((r) => s.send(b, port, address, () => r()));
}
