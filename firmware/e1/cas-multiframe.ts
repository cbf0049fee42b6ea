/**
 * G.704 §5.1.3.2 channel-associated signalling in E1 timeslot 16: a 16-frame
 * multiframe. TS16 of frame 0 carries the multiframe alignment signal
 * 0000 in its first four bits (then x y x x); TS16 of frame m (1..15) carries
 * the ABCD bits of timeslot m in its first four bits and of timeslot m + 16 in
 * its last four. The all-zero code is thereby forbidden for ABCD.
 *
 * Alignment (G.704 / G.732): found when an octet starting 0000 follows an
 * octet that is not all zeros and the same holds 16 octets later; lost after
 * two consecutive multiframe alignment signals in error, or a whole multiframe
 * of TS16 all zeros. While lost, no ABCD is reported and the search starts
 * again.
 *
 * A timeslot's ABCD code counts once it has been the same in
 * `stableMultiframes` consecutive multiframes (2 ms each); the change is
 * reported with the time of the first of them.
 */

export interface AbcdChange {
  timeslot: number;
  /** 4-bit code, A as the most significant bit. */
  abcd: number;
  previous: number;
  at: number;
}

export interface CasMultiframeStats {
  multiframes: number;
  alignmentLosses: number;
  mfasErrors: number;
}

export interface CasMultiframeHandler {
  change(change: AbcdChange): void;
  alignment(aligned: boolean, at: number, reason: string): void;
}

const OCTET_MS = 0.125;
/** Code reported for timeslots before their first stable code. */
export const ABCD_UNKNOWN = -1;

export class CasMultiframe {
  private aligned = false;
  private phase = 0;
  private mfasErrorsInRow = 0;
  private zeroRun = 0;
  /** Last 17 octets for the alignment search. */
  private readonly history = new Uint8Array(17);
  private seen = 0;
  private readonly stable: Int8Array = new Int8Array(32).fill(ABCD_UNKNOWN);
  private readonly candidate: Int8Array = new Int8Array(32).fill(ABCD_UNKNOWN);
  private readonly candidateCount = new Uint16Array(32);
  private readonly candidateAt = new Float64Array(32);
  private readonly counters: CasMultiframeStats = { multiframes: 0, alignmentLosses: 0, mfasErrors: 0 };

  constructor(private readonly stableMultiframes = 5) {}

  stats(): CasMultiframeStats {
    return { ...this.counters };
  }

  isAligned(): boolean {
    return this.aligned;
  }

  /** Current stable ABCD code of a timeslot (ABCD_UNKNOWN before one is known). */
  abcd(timeslot: number): number {
    return this.stable[timeslot] ?? ABCD_UNKNOWN;
  }

  /** `at` is the stream time at the end of the chunk. */
  push(octets: Uint8Array, at: number, handler: CasMultiframeHandler): void {
    const n = octets.length;
    for (let i = 0; i < n; i++) {
      const v = octets[i]!;
      const t = at - (n - 1 - i) * OCTET_MS;
      this.zeroRun = v === 0 ? this.zeroRun + 1 : 0;
      this.history.copyWithin(0, 1);
      this.history[16] = v;
      this.seen++;
      if (!this.aligned) {
        // history[16] is this octet, history[0] the one 16 octets back.
        if (this.seen >= 18 && (v & 0xf0) === 0 && this.history[15] !== 0 && (this.history[0]! & 0xf0) === 0) {
          this.aligned = true;
          this.phase = 1;
          this.mfasErrorsInRow = 0;
          this.counters.multiframes++;
          handler.alignment(true, t, 'multiframe alignment found');
        }
        continue;
      }
      const m = this.phase;
      this.phase = (m + 1) & 15;
      if (this.zeroRun >= 16) {
        this.lose(t, 'TS16 all zeros for a multiframe', handler);
        continue;
      }
      if (m === 0) {
        this.counters.multiframes++;
        if ((v & 0xf0) !== 0) {
          this.counters.mfasErrors++;
          if (++this.mfasErrorsInRow >= 2) this.lose(t, 'two multiframe alignment signals in error', handler);
        } else this.mfasErrorsInRow = 0;
        continue;
      }
      this.code(m, v >>> 4, t, handler);
      this.code(m + 16, v & 0x0f, t, handler);
    }
  }

  private code(ts: number, code: number, t: number, handler: CasMultiframeHandler): void {
    if (code === this.stable[ts]) {
      this.candidateCount[ts] = 0;
      return;
    }
    if (code !== this.candidate[ts] || this.candidateCount[ts] === 0) {
      this.candidate[ts] = code;
      this.candidateCount[ts] = 1;
      this.candidateAt[ts] = t;
    } else this.candidateCount[ts]++;
    if (this.candidateCount[ts]! >= this.stableMultiframes) {
      const previous = this.stable[ts]!;
      this.stable[ts] = code;
      this.candidateCount[ts] = 0;
      handler.change({ timeslot: ts, abcd: code, previous, at: this.candidateAt[ts]! });
    }
  }

  private lose(t: number, reason: string, handler: CasMultiframeHandler): void {
    this.aligned = false;
    this.counters.alignmentLosses++;
    this.candidateCount.fill(0);
    handler.alignment(false, t, reason);
  }
}
