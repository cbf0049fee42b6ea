/**
 * Q.921 (LAPD) frame parsing and, per sender, delivery of each I frame once.
 *
 * Address: SAPI (6 bits), C/R, EA0 = 0; TEI (7 bits), EA1 = 1. Control: I
 * frames (N(S), N(R), P), S frames RR/RNR/REJ (N(R), P/F), U frames SABME, DM,
 * UI, DISC, UA, FRMR, XID (P/F). Modulo 128.
 *
 * A tap sees each I frame as sent, including retransmissions (after a lost or
 * corrupted frame, go-back-N resends from the missing one, or after T200 the
 * last one again). `LapdReceiver` remembers what it delivered under the
 * recent N(S) values (the 32 behind the newest) per sender, SAPI and TEI, and
 * drops an I frame carrying the same information under the same N(S); a
 * SABME, UA, DISC or DM on the data link (V(S) = 0 again) forgets them, and
 * other information under a remembered N(S) (a re-establishment the tap did
 * not hear) is delivered.
 */

export type LapdKind = 'I' | 'RR' | 'RNR' | 'REJ' | 'SABME' | 'DM' | 'UI' | 'DISC' | 'UA' | 'FRMR' | 'XID' | 'S?' | 'U?';

export interface LapdFrame {
  sapi: number;
  tei: number;
  /** The C/R bit as sent (a command from the network side and a response from the user side carry 1). */
  cr: number;
  kind: LapdKind;
  /** I frames. */
  ns?: number;
  /** I and S frames. */
  nr?: number;
  /** Poll / final bit. */
  pf: number;
  /** Layer-3 information of I and UI frames (and the body of FRMR/XID). */
  info: Uint8Array;
}

export type LapdResult = { ok: true; frame: LapdFrame } | { ok: false; error: string };

const U_KINDS: Record<number, LapdKind> = { 0x6f: 'SABME', 0x0f: 'DM', 0x03: 'UI', 0x43: 'DISC', 0x63: 'UA', 0x87: 'FRMR', 0xaf: 'XID' };
const S_KINDS: Record<number, LapdKind> = { 0x01: 'RR', 0x05: 'RNR', 0x09: 'REJ' };

export function parseLapd(bytes: Uint8Array): LapdResult {
  if (bytes.length < 3) return { ok: false, error: 'frame shorter than address and control' };
  const a0 = bytes[0]!;
  const a1 = bytes[1]!;
  if ((a0 & 1) !== 0 || (a1 & 1) !== 1) return { ok: false, error: 'address extension bits are not 0, 1 (not a two-octet LAPD address)' };
  const base = { sapi: a0 >>> 2, cr: (a0 >>> 1) & 1, tei: a1 >>> 1 };
  const c0 = bytes[2]!;
  if ((c0 & 1) === 0) {
    if (bytes.length < 4) return { ok: false, error: 'I frame without the second control octet' };
    const c1 = bytes[3]!;
    return { ok: true, frame: { ...base, kind: 'I', ns: c0 >>> 1, nr: c1 >>> 1, pf: c1 & 1, info: bytes.subarray(4) } };
  }
  if ((c0 & 3) === 1) {
    if (bytes.length < 4) return { ok: false, error: 'S frame without the second control octet' };
    const c1 = bytes[3]!;
    if (bytes.length > 4) return { ok: false, error: 'S frame with an information field' };
    return { ok: true, frame: { ...base, kind: S_KINDS[c0] ?? 'S?', nr: c1 >>> 1, pf: c1 & 1, info: bytes.subarray(4) } };
  }
  const kind = U_KINDS[c0 & 0xef] ?? 'U?';
  return { ok: true, frame: { ...base, kind, pf: (c0 >>> 4) & 1, info: bytes.subarray(3) } };
}

/** Delivers each I frame of one sender once; UI frames always. */
export class LapdReceiver {
  /** Per sender link (SAPI, TEI): the information last delivered under each N(S) still in the window. */
  private readonly delivered = new Map<number, (Uint8Array | undefined)[]>();
  retransmissions = 0;

  /** True when the frame's information is new layer-3 data to act on. */
  accept(frame: LapdFrame): boolean {
    const key = (frame.sapi << 7) | frame.tei;
    if (frame.kind === 'SABME' || frame.kind === 'UA' || frame.kind === 'DISC' || frame.kind === 'DM') {
      this.delivered.delete(key);
      return false;
    }
    if (frame.kind === 'UI') return frame.info.length > 0;
    if (frame.kind !== 'I' || frame.ns === undefined) return false;
    let seen = this.delivered.get(key);
    if (!seen) this.delivered.set(key, (seen = new Array<Uint8Array | undefined>(128)));
    const before = seen[frame.ns];
    // The same N(S) with the same information is a retransmission; with other
    // information the link was re-established unseen and numbering started over.
    if (before && sameBytes(before, frame.info)) {
      this.retransmissions++;
      return false;
    }
    seen[frame.ns] = frame.info.slice();
    for (let j = 32; j < 96; j++) seen[(frame.ns + j) & 127] = undefined;
    return frame.info.length > 0;
  }

  /** Forgets every link (the D-channel was lost). */
  reset(): void {
    this.delivered.clear();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
