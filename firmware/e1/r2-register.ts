/**
 * The MFC-R2 compelled register exchange of one call as a passive listener
 * hears it (China No.1 variant of Q.441): each forward signal is read in the
 * light of the backward signal that asked for it.
 *
 * Forward group I: 1..10 digits (10 = 0), 15 end of the calling number; KA
 * (calling party category, after A6) and KD (group II, after A3) by position.
 * Backward group A: A1 send next digit, A2 send again from the first digit,
 * A3 address complete / change to group B (KD follows), A4 congestion, A5
 * vacant number, A6 send KA and the calling number. Group B (after KD): B1
 * called line free, B2 / B3 busy, B4 congestion, B5 vacant number, B6 free.
 */
import type { CallOutcome } from './trunk-events.ts';

type Expect = 'called' | 'ka' | 'calling' | 'kd' | 'done';

export interface RegisterChange {
  /** The numbers became complete (A6: the called number; A3 or I-15: both). */
  numbers?: boolean;
  /** A group-B signal saying the called line is free (ringing follows). */
  free?: boolean;
}

const digitOf = (signal: number): string => (signal === 10 ? '0' : String(signal));

export class R2Register {
  called = '';
  calling = '';
  ka?: number;
  kd?: number;
  /** The group-B signal, once heard. */
  bSignal?: number;
  /** A4 / A5: the exchange refused the call before group B. */
  aRefusal?: number;
  private expect: Expect = 'called';
  private groupB = false;

  forward(signal: number): RegisterChange {
    switch (this.expect) {
      case 'called':
        if (signal >= 1 && signal <= 10) this.called += digitOf(signal);
        return {};
      case 'ka':
        this.ka = signal;
        this.expect = 'calling';
        return {};
      case 'calling':
        if (signal >= 1 && signal <= 10) this.calling += digitOf(signal);
        else if (signal === 15) return { numbers: true };
        return {};
      case 'kd':
        this.kd = signal;
        this.expect = 'done';
        this.groupB = true;
        return {};
      case 'done':
        return {};
    }
  }

  backward(signal: number): RegisterChange {
    if (this.groupB) {
      if (this.bSignal !== undefined) return {};
      this.bSignal = signal;
      return { free: signal === 1 || signal === 6 };
    }
    switch (signal) {
      case 2:
        this.called = '';
        this.calling = '';
        this.expect = 'called';
        return {};
      case 3:
        this.expect = 'kd';
        return { numbers: true };
      case 4:
      case 5:
        this.aRefusal = signal;
        this.expect = 'done';
        return {};
      case 6:
        this.expect = 'ka';
        return { numbers: true };
      default:
        return {};
    }
  }

  /** Outcome of a call cleared before answer. */
  unansweredOutcome(): CallOutcome {
    if (this.bSignal === 2 || this.bSignal === 3) return 'busy';
    if (this.aRefusal !== undefined || this.bSignal === 4 || this.bSignal === 5) return 'failed';
    return 'no-answer';
  }
}
