/**
 * Per-channel signal detection for the recorder: DTMF digits, FSK caller ID
 * (Bell 202 and V.23 receivers side by side), DTMF caller ID, voice activity
 * for voice-controlled recording with the level meter (voice-activity.ts),
 * and call-progress tones (call-progress.ts; run only when onTone is given).
 *
 * DTMF caller ID: a digit that can open a caller-ID string (A, B or D) starts
 * collecting; digits 0-9 follow, each within 1 s of the previous one, and C
 * or # closes the string within 3 s of its start. A string that parses (see
 * dtmf-callerid.ts) is reported through onCallerId (format 'dtmf', raw = the
 * digit string in ASCII) and its digits are not reported as plain digits. A
 * string that breaks off or does not parse is handed back digit by digit
 * through onDigit, with each digit's own time, once that is known.
 *
 * Times, all on the channel time line given to process(): `atMs` of a digit
 * is when its tone started; of a caller-ID message, when it completed; of
 * speech starting, when the speech began (reported 60 ms or more later); of
 * speech ending, when the silence began (reported when it has lasted the
 * silence duration); of a call-progress tone, when the first burst of its
 * recognised cadence began (reported three cycles later).
 * A message decoded by both FSK receivers is reported once.
 *
 * Caller-ID detection follows the channel's 收号模式 (configureCallerId):
 * 'fsk-dtmf' (the default) listens for both kinds; 'fsk' leaves DTMF caller
 * ID undetected, so A, B and D are plain digits at once; 'dtmf' runs no FSK
 * receiver at all. Dialled digits are reported in every mode.
 */
import type { CallerIdMessage } from './callerid-message.ts';
import { parseDtmfCallerId, DTMF_CID_END, DTMF_CID_START } from './dtmf-callerid.ts';
import { DtmfReceiver, type DtmfDigitEvent } from './dtmf-receiver.ts';
import { FskCallerIdReceiver } from './fsk-callerid.ts';
import { CallProgressDetector, type CallProgressEvent, type CallProgressTone } from './call-progress.ts';
import { VoiceActivityDetector, type VoiceSettings } from './voice-activity.ts';

export interface DetectorEvents {
  onDigit(digit: string, atMs: number): void;
  onCallerId(message: CallerIdMessage, atMs: number): void;
  /** Every DTMF tone as received, caller-ID digits included, with its start and end. */
  onDtmf?(digit: string, onMs: number, offMs: number): void;
  /** Speech started (true) or ended (false), by the channel's voice settings. */
  onVoice?(active: boolean, atMs: number): void;
  /** A busy, congestion or ring-back tone recognised (once per stretch of tone). */
  onTone?(tone: CallProgressTone, atMs: number): void;
}

/** 收号模式: which caller-ID signalling a channel listens for. */
export type CallerIdMode = 'fsk-dtmf' | 'fsk' | 'dtmf';

const CID_DIGIT_GAP_MS = 1000;
const CID_MAX_MS = 3000;
const DUPLICATE_WINDOW_MS = 2000;

export class ChannelSignalDetector {
  private readonly dtmf: DtmfReceiver;
  private readonly bell202: FskCallerIdReceiver;
  private readonly v23: FskCallerIdReceiver;
  private readonly onDtmf = (e: DtmfDigitEvent): void => this.digit(e);
  private readonly onFsk = (m: CallerIdMessage): void => this.fskMessage(m);
  private readonly vad: VoiceActivityDetector;
  private readonly onVad = (active: boolean, sample: number): void => this.events.onVoice?.(active, this.toMs(sample));
  private readonly tones: CallProgressDetector | null;
  private readonly onCallProgress = (e: CallProgressEvent): void => this.events.onTone?.(e.tone, this.toMs(e.startSample));

  private samples = 0;
  private blockSample = 0;
  private blockMs = 0;

  /** DTMF caller-ID string being collected, with each digit's time. */
  private cidDigits = '';
  private cidTimes: number[] = [];
  private lastFsk: Uint8Array | null = null;
  private lastFskMs = 0;
  private fskOn = true;
  /** Channel sample at which the FSK receivers last started counting (they count from their reset). */
  private fskBase = 0;
  private dtmfCallerIdOn = true;

  constructor(
    private readonly events: DetectorEvents,
    private readonly sampleRate = 8000,
  ) {
    this.dtmf = new DtmfReceiver(sampleRate);
    this.bell202 = new FskCallerIdReceiver('bell202', sampleRate);
    this.v23 = new FskCallerIdReceiver('v23', sampleRate);
    this.vad = new VoiceActivityDetector({}, sampleRate);
    this.tones = events.onTone ? new CallProgressDetector(sampleRate) : null;
  }

  /** The level meter (声音幅度): smoothed peak level of 10 ms frames, 0..32767. */
  get level(): number {
    return this.vad.level;
  }

  /** Whether speech is going on, by the voice settings. */
  get voiceActive(): boolean {
    return this.vad.active;
  }

  /** The call-progress tone going on now (null without an onTone listener). */
  get tone(): CallProgressTone | null {
    return this.tones?.current ?? null;
  }

  /** Voice-control settings (有声门限, 无声门限, 无声时长); defaults are the manual's 3000, 0, 7000 ms. */
  configureVoice(settings: Partial<VoiceSettings>): void {
    this.vad.configure(settings);
  }

  /** 收号模式: which caller-ID signalling to detect, from now on. */
  configureCallerId(mode: CallerIdMode): void {
    const fsk = mode !== 'dtmf';
    const dtmf = mode !== 'fsk';
    if (fsk && !this.fskOn) {
      // The receivers start afresh rather than resume a burst heard only in part.
      this.bell202.reset();
      this.v23.reset();
      this.fskBase = this.samples;
    }
    this.fskOn = fsk;
    this.dtmfCallerIdOn = dtmf;
    if (!dtmf && this.cidDigits) this.releaseDigits();
  }

  get callerIdMode(): CallerIdMode {
    return this.fskOn ? (this.dtmfCallerIdOn ? 'fsk-dtmf' : 'fsk') : 'dtmf';
  }

  reset(): void {
    this.dtmf.reset();
    this.bell202.reset();
    this.v23.reset();
    this.vad.reset();
    this.tones?.reset();
    this.samples = 0;
    this.fskBase = 0;
    this.cidDigits = '';
    this.cidTimes.length = 0;
    this.lastFsk = null;
  }

  /** pcm block (typically 160 samples = 20 ms); startMs = channel-relative time of its first sample */
  process(pcm: Int16Array, startMs: number): void {
    this.blockSample = this.samples;
    this.blockMs = startMs;
    this.vad.process(pcm, this.onVad);
    this.dtmf.process(pcm, this.onDtmf);
    if (this.fskOn) {
      this.bell202.process(pcm, this.onFsk);
      this.v23.process(pcm, this.onFsk);
    }
    this.tones?.process(pcm, this.onCallProgress);
    this.samples += pcm.length;
    const nowMs = this.toMs(this.samples);
    // A digit is reported once it has ended, so allow for one more before giving up.
    if (this.cidDigits && nowMs - this.cidTimes[this.cidTimes.length - 1]! > 2 * CID_DIGIT_GAP_MS) this.releaseDigits();
  }

  private toMs(sample: number): number {
    return this.blockMs + ((sample - this.blockSample) * 1000) / this.sampleRate;
  }

  private fskMessage(received: CallerIdMessage): void {
    const m = this.fskBase ? { ...received, endSample: this.fskBase + received.endSample } : received;
    const atMs = this.toMs(m.endSample);
    if (this.lastFsk && atMs - this.lastFskMs < DUPLICATE_WINDOW_MS && sameBytes(this.lastFsk, m.raw)) return;
    this.lastFsk = m.raw;
    this.lastFskMs = atMs;
    this.events.onCallerId(m, atMs);
  }

  private digit(e: DtmfDigitEvent): void {
    const atMs = this.toMs(e.onSample);
    const d = e.digit;
    this.events.onDtmf?.(d, atMs, this.toMs(e.offSample));
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
    if (this.dtmfCallerIdOn && DTMF_CID_START.includes(d)) {
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
