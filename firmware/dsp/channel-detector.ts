/**
 * Per-channel signal detection for the recorder: DTMF digits, FSK caller ID
 * (Bell 202 and V.23 receivers side by side) and DTMF caller ID, plus the
 * block level for the level meter.
 *
 * DTMF caller ID: a digit that can open a caller-ID string (A, B or D) starts
 * collecting; digits 0-9 follow, each within 1 s of the previous one, and C
 * or # closes the string within 3 s of its start. A string that parses (see
 * dtmf-callerid.ts) is reported through onCallerId (format 'dtmf', raw = the
 * digit string in ASCII) and its digits are not reported as plain digits. A
 * string that breaks off or does not parse is handed back digit by digit
 * through onDigit, with each digit's own time, once that is known.
 *
 * Times: `atMs` of a digit is when its tone started; of a caller-ID message,
 * when it completed. Both are on the channel time line given to process().
 * A message decoded by both FSK receivers is reported once.
 */
import type { CallerIdMessage } from './callerid-message.ts';
import { parseDtmfCallerId, DTMF_CID_END, DTMF_CID_START } from './dtmf-callerid.ts';
import { DtmfReceiver, type DtmfDigitEvent } from './dtmf-receiver.ts';
import { FskCallerIdReceiver } from './fsk-callerid.ts';

export interface DetectorEvents {
  onDigit(digit: string, atMs: number): void;
  onCallerId(message: CallerIdMessage, atMs: number): void;
}

const CID_DIGIT_GAP_MS = 1000;
const CID_MAX_MS = 3000;
const DUPLICATE_WINDOW_MS = 2000;

export class ChannelSignalDetector {
  private readonly dtmf: DtmfReceiver;
  private readonly bell202: FskCallerIdReceiver;
  private readonly v23: FskCallerIdReceiver;
  private readonly onDtmf = (e: DtmfDigitEvent): void => this.digit(e);
  private readonly onFsk = (m: CallerIdMessage): void => this.fskMessage(m);

  private samples = 0;
  private blockSample = 0;
  private blockMs = 0;
  private meanLevel = 0;

  /** DTMF caller-ID string being collected, with each digit's time. */
  private cidDigits = '';
  private cidTimes: number[] = [];
  private lastFsk: Uint8Array | null = null;
  private lastFskMs = 0;

  constructor(
    private readonly events: DetectorEvents,
    private readonly sampleRate = 8000,
  ) {
    this.dtmf = new DtmfReceiver(sampleRate);
    this.bell202 = new FskCallerIdReceiver('bell202', sampleRate);
    this.v23 = new FskCallerIdReceiver('v23', sampleRate);
  }

  /** Mean absolute level (0..32767) of the last block. */
  get level(): number {
    return this.meanLevel;
  }

  reset(): void {
    this.dtmf.reset();
    this.bell202.reset();
    this.v23.reset();
    this.samples = 0;
    this.meanLevel = 0;
    this.cidDigits = '';
    this.cidTimes.length = 0;
    this.lastFsk = null;
  }

  /** pcm block (typically 160 samples = 20 ms); startMs = channel-relative time of its first sample */
  process(pcm: Int16Array, startMs: number): void {
    this.blockSample = this.samples;
    this.blockMs = startMs;
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) sum += pcm[i]! < 0 ? -pcm[i]! : pcm[i]!;
    this.meanLevel = pcm.length > 0 ? Math.min(32767, sum / pcm.length) : 0;
    this.dtmf.process(pcm, this.onDtmf);
    this.bell202.process(pcm, this.onFsk);
    this.v23.process(pcm, this.onFsk);
    this.samples += pcm.length;
    const nowMs = this.toMs(this.samples);
    // A digit is reported once it has ended, so allow for one more before giving up.
    if (this.cidDigits && nowMs - this.cidTimes[this.cidTimes.length - 1]! > 2 * CID_DIGIT_GAP_MS) this.releaseDigits();
  }

  private toMs(sample: number): number {
    return this.blockMs + ((sample - this.blockSample) * 1000) / this.sampleRate;
  }

  private fskMessage(m: CallerIdMessage): void {
    const atMs = this.toMs(m.endSample);
    if (this.lastFsk && atMs - this.lastFskMs < DUPLICATE_WINDOW_MS && sameBytes(this.lastFsk, m.raw)) return;
    this.lastFsk = m.raw;
    this.lastFskMs = atMs;
    this.events.onCallerId(m, atMs);
  }

  private digit(e: DtmfDigitEvent): void {
    const atMs = this.toMs(e.onSample);
    const d = e.digit;
    if (this.cidDigits) {
      const sinceLast = atMs - this.cidTimes[this.cidTimes.length - 1]!;
      const sinceFirst = atMs - this.cidTimes[0]!;
      if (sinceLast > CID_DIGIT_GAP_MS || sinceFirst > CID_MAX_MS) this.releaseDigits();
    }
    if (this.cidDigits) {
      if (d >= '0' && d <= '9') {
        this.cidDigits += d;
        this.cidTimes.push(atMs);
        return;
      }
      if (DTMF_CID_END.includes(d)) {
        const text = this.cidDigits + d;
        const parsed = parseDtmfCallerId(text);
        if (parsed) {
          this.cidDigits = '';
          this.cidTimes.length = 0;
          const message: CallerIdMessage = {
            format: 'dtmf',
            standard: 'dtmf',
            ...parsed,
            raw: Uint8Array.from(text, (c) => c.charCodeAt(0)),
            endSample: e.offSample,
          };
          this.events.onCallerId(message, this.toMs(e.offSample));
          return;
        }
      }
      this.releaseDigits();
    }
    if (DTMF_CID_START.includes(d)) {
      this.cidDigits = d;
      this.cidTimes.push(atMs);
      return;
    }
    this.events.onDigit(d, atMs);
  }

  /** Hands collected digits that turned out not to be caller ID back as plain digits. */
  private releaseDigits(): void {
    const digits = this.cidDigits;
    this.cidDigits = '';
    for (let i = 0; i < digits.length; i++) this.events.onDigit(digits[i]!, this.cidTimes[i]!);
    this.cidTimes.length = 0;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
