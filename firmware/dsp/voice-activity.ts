/**
 * Voice activity for voice-controlled recording (声控) and the channel's level
 * meter (声音幅度).
 *
 * Levels are peak absolute sample values on the 0..32767 scale the status
 * page shows (声音幅度), measured over 10 ms frames (80 samples at 8 kHz)
 * whatever size the blocks handed to process() are. For reference, a sine at
 * 0 dBm0 has a level of about 22800, at -10 dBm0 about 7200, at -20 dBm0
 * about 2280; conversation at a usual -20 dBm0 peaks above the factory speech
 * threshold of 3000 in about 40 % of its frames, while an idle line's noise
 * stays far below it.
 *
 * - `level` (the meter) follows the frame level smoothed: it rises by 60 % of
 *   the difference per frame (a step is 94 % there within 30 ms) and falls by
 *   10 % per frame (a time constant of about 95 ms), so it reads steadily
 *   during speech.
 * - Speech starts when frames above the speech threshold (有声门限) add up to
 *   60 ms in a run in which no gap of frames at or below it lasts longer than
 *   20 ms (the hangover: the dips between pitch pulses and syllable edges do
 *   not break the run, a click or a short burst does not make one).
 * - Speech ends when every frame stays below the silence threshold (无声门限)
 *   for the silence duration (无声时长). A silence threshold of 0 means "below
 *   the speech threshold"; a lower one gives hysteresis: frames between the
 *   two keep speech going; a higher one acts as the speech threshold.
 *
 * Event times are samples counted from the first sample ever processed:
 * speech start = first sample of the run's first loud frame (reported 60 ms
 * or more later), speech end = first sample of the silence that lasted the
 * silence duration (reported when it has).
 */
export interface VoiceSettings {
  /** 有声门限: frame level above which a frame is speech. */
  speechThreshold: number;
  /** 无声门限: frame level below which a frame is silent; 0 = the speech threshold. */
  silenceThreshold: number;
  /** 无声时长: silence that ends speech, ms. */
  silenceMs: number;
}

/** The manual's factory values: > 3000, < 0 (that is, below the speech threshold), 7000 ms. */
export const DEFAULT_VOICE_SETTINGS: Readonly<VoiceSettings> = { speechThreshold: 3000, silenceThreshold: 0, silenceMs: 7000 };

const FRAME_MS = 10;
const START_MS = 60;
const HANGOVER_MS = 20;
const ATTACK = 0.6;
const RELEASE = 0.1;
const MAX_LEVEL = 32767;

export class VoiceActivityDetector {
  private readonly frame: number;
  private config: VoiceSettings = { ...DEFAULT_VOICE_SETTINGS };
  private speech = 0;
  private silence = 0;
  private silenceFrames = 0;
  private readonly startFrames: number;
  private readonly hangoverFrames: number;

  private sample = 0;
  private pos = 0;
  private peak = 0;
  private smoothed = 0;
  private frameLevel = 0;

  private isActive = false;
  /** Building up to a start: loud frames counted, quiet frames since the last loud one, first sample of the run. */
  private loud = 0;
  private gap = 0;
  private runStart = 0;
  /** While active: silent frames in a row and the first sample of them. */
  private quiet = 0;
  private quietStart = 0;

  constructor(settings: Partial<VoiceSettings> = {}, sampleRate = 8000) {
    this.frame = Math.round((FRAME_MS * sampleRate) / 1000);
    this.startFrames = START_MS / FRAME_MS;
    this.hangoverFrames = HANGOVER_MS / FRAME_MS;
    this.configure({ ...DEFAULT_VOICE_SETTINGS, ...settings });
  }

  /** Changes the thresholds and the silence duration; applies from the next frame on. */
  configure(settings: Partial<VoiceSettings>): void {
    const next = { ...this.config, ...settings };
    const limits: Array<[string, number, number]> = [
      ['speech threshold', next.speechThreshold, MAX_LEVEL],
      ['silence threshold', next.silenceThreshold, MAX_LEVEL],
      ['silence duration', next.silenceMs, 3_600_000],
    ];
    for (const [name, v, max] of limits) {
      if (!Number.isFinite(v) || v < 0 || v > max) throw new RangeError(`voice activity: ${name} must be 0..${max}, got ${v}`);
    }
    this.config = next;
    this.speech = next.speechThreshold;
    this.silence = next.silenceThreshold === 0 ? next.speechThreshold : Math.min(next.silenceThreshold, next.speechThreshold);
    this.silenceFrames = Math.max(1, Math.ceil(next.silenceMs / FRAME_MS));
  }

  get settings(): VoiceSettings {
    return { ...this.config };
  }

  /** Smoothed level, 0..32767. */
  get level(): number {
    return this.smoothed;
  }

  /** Level of the last complete 10 ms frame, unsmoothed. */
  get lastFrameLevel(): number {
    return this.frameLevel;
  }

  get active(): boolean {
    return this.isActive;
  }

  reset(): void {
    this.sample = this.pos = this.peak = this.smoothed = this.frameLevel = 0;
    this.isActive = false;
    this.loud = this.gap = this.quiet = 0;
  }

  process(pcm: Int16Array, onVoice: (active: boolean, sample: number) => void): void {
    let i = 0;
    while (i < pcm.length) {
      const end = Math.min(pcm.length, i + this.frame - this.pos);
      let peak = this.peak;
      for (let j = i; j < end; j++) {
        const a = Math.abs(pcm[j]!);
        if (a > peak) peak = a;
      }
      this.pos += end - i;
      i = end;
      if (this.pos < this.frame) {
        this.peak = peak;
        break;
      }
      this.peak = 0;
      this.pos = 0;
      this.endOfFrame(Math.min(MAX_LEVEL, peak), onVoice);
    }
  }

  private endOfFrame(level: number, onVoice: (active: boolean, sample: number) => void): void {
    const frameStart = this.sample;
    this.sample += this.frame;
    this.frameLevel = level;
    this.smoothed += (level - this.smoothed) * (level > this.smoothed ? ATTACK : RELEASE);
    if (!this.isActive) {
      if (level > this.speech) {
        if (this.loud === 0) this.runStart = frameStart;
        this.loud++;
        this.gap = 0;
        if (this.loud >= this.startFrames) {
          this.isActive = true;
          this.quiet = 0;
          onVoice(true, this.runStart);
        }
      } else if (this.loud > 0 && ++this.gap > this.hangoverFrames) {
        this.loud = this.gap = 0;
      }
      return;
    }
    if (level < this.silence) {
      if (this.quiet === 0) this.quietStart = frameStart;
      if (++this.quiet >= this.silenceFrames) {
        this.isActive = false;
        this.loud = this.gap = 0;
        onVoice(false, this.quietStart);
      }
    } else this.quiet = 0;
  }
}
