/**
 * Puts an E1 port's 20 ms block back together from its E1_AUDIO frames
 * (docs/linecard-protocol.md): both sides, 32 timeslots each, in frames of up
 * to 16 timeslots that share the block's `seq`. A block is handed on when its
 * last timeslot arrives, or, incomplete (missing timeslots null), when a frame
 * of a later block arrives first. Gaps in `seq` are reported as missing blocks
 * (up to MAX_FILLED_BLOCKS, as for analog audio) so recordings are filled with
 * silence; duplicates and late frames are dropped. No copies: a block's
 * timeslots are views into the frames they came in. Pure: no I/O, no timers.
 */
import { MAX_FILLED_BLOCKS } from './audio-sequencer.ts';
import { E1_BLOCK_FRAMES, E1_TIMESLOTS, type E1AudioMessage } from './messages.ts';

export interface E1Block {
  port: number;
  seq: number;
  /** Blocks lost just before this one (to fill with silence). */
  missing: number;
  /** [side a, side b][timeslot]: 160 octets, or null when that part of the block was lost. */
  slots: [Array<Uint8Array | null>, Array<Uint8Array | null>];
  /** Whether every timeslot of both sides arrived. */
  complete: boolean;
}

export interface E1AssemblerStats {
  blocks: number;
  incomplete: number;
  gaps: number;
  filledBlocks: number;
  unfilledGaps: number;
  late: number;
}

const FULL = 2 * E1_TIMESLOTS;

class PortAssembly {
  seq = -1;
  /** seq of the last block handed on, -1 before the first. */
  lastEmitted = -1;
  received = 0;
  slots: E1Block['slots'] = [new Array(E1_TIMESLOTS).fill(null), new Array(E1_TIMESLOTS).fill(null)];
  missingBefore = 0;
}

export class E1BlockAssembler {
  private readonly ports: PortAssembly[];
  readonly stats: E1AssemblerStats = { blocks: 0, incomplete: 0, gaps: 0, filledBlocks: 0, unfilledGaps: 0, late: 0 };

  constructor(readonly portCount: number) {
    this.ports = Array.from({ length: portCount }, () => new PortAssembly());
  }

  /** Takes a frame; calls `onBlock` for each block it completes or pushes out. */
  push(m: E1AudioMessage, onBlock: (b: E1Block) => void): void {
    const p = this.ports[m.port];
    if (!p) return;
    if (p.seq >= 0 && m.seq !== p.seq) {
      const ahead = (m.seq - p.seq) & 0xffff;
      if (ahead > 0x8000) {
        this.stats.late++;
        return;
      }
      this.emit(m.port, p, onBlock);
    }
    if (p.seq < 0) {
      if (p.lastEmitted >= 0) {
        const ahead = (m.seq - p.lastEmitted) & 0xffff;
        if (ahead === 0 || ahead > 0x8000) {
          this.stats.late++;
          return;
        }
        p.missingBefore = this.gap(ahead - 1);
      }
      p.seq = m.seq;
    }
    const side = p.slots[m.side];
    for (let i = 0; i < m.count; i++) {
      const ts = m.first + i;
      if (side[ts] === null) p.received++;
      side[ts] = m.octets.subarray(i * E1_BLOCK_FRAMES, (i + 1) * E1_BLOCK_FRAMES);
    }
    if (p.received === FULL) this.emit(m.port, p, onBlock);
  }

  /** Forgets every port's position (after the link was re-established). */
  resync(): void {
    for (let i = 0; i < this.ports.length; i++) this.ports[i] = new PortAssembly();
  }

  private gap(lost: number): number {
    if (lost <= 0) return 0;
    this.stats.gaps++;
    if (lost > MAX_FILLED_BLOCKS) {
      this.stats.unfilledGaps++;
      return 0;
    }
    this.stats.filledBlocks += lost;
    return lost;
  }

  private emit(port: number, p: PortAssembly, onBlock: (b: E1Block) => void): void {
    const complete = p.received === FULL;
    const block: E1Block = { port, seq: p.seq, missing: p.missingBefore, slots: p.slots, complete };
    this.stats.blocks++;
    if (!complete) this.stats.incomplete++;
    p.lastEmitted = p.seq;
    p.seq = -1;
    p.received = 0;
    p.missingBefore = 0;
    p.slots = [new Array(E1_TIMESLOTS).fill(null), new Array(E1_TIMESLOTS).fill(null)];
    onBlock(block);
  }
}
