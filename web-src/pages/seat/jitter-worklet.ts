export {};
/**
 * The live-listening jitter buffer, run as an AudioWorklet (its own bundle,
 * loaded with audioWorklet.addModule). Blocks of samples come from the page
 * as they arrive over the WebSocket; playback starts once `targetMs` is
 * buffered, an underrun plays silence and waits for the target again, and a
 * buffer grown past `maxMs` (a burst after a stall) drops its oldest samples
 * back to the target, so the delay stays bounded. It reports how much it
 * holds a few times a second.
 */
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class JitterBuffer extends AudioWorkletProcessor {
  private buf = new Float32Array(sampleRate * 4);
  private read = 0;
  private write = 0;
  private playing = false;
  private target = Math.round(sampleRate * 0.06);
  private max = Math.round(sampleRate * 0.2);
  private underruns = 0;
  private dropped = 0;
  private frames = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent) => {
      const m = e.data as { samples?: Float32Array; targetMs?: number; maxMs?: number };
      if (m.targetMs) this.target = Math.round((sampleRate * m.targetMs) / 1000);
      if (m.maxMs) this.max = Math.round((sampleRate * m.maxMs) / 1000);
      if (m.samples) this.push(m.samples);
    };
  }

  private get held(): number {
    return this.write - this.read;
  }

  private push(s: Float32Array): void {
    const cap = this.buf.length;
    for (let i = 0; i < s.length; i++) this.buf[(this.write + i) % cap] = s[i]!;
    this.write += s.length;
    if (this.held > cap) this.read = this.write - cap;
    if (this.held > this.max) {
      this.dropped += this.held - this.target;
      this.read = this.write - this.target;
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    if (!this.playing && this.held >= this.target) this.playing = true;
    const cap = this.buf.length;
    for (let i = 0; i < out.length; i++) {
      if (this.playing && this.held > 0) {
        out[i] = this.buf[this.read % cap]!;
        this.read++;
      } else {
        out[i] = 0;
        if (this.playing) {
          this.playing = false;
          this.underruns++;
        }
      }
    }
    for (let c = 1; c < outputs[0]!.length; c++) outputs[0]![c]!.set(out);
    if (++this.frames % 25 === 0) this.port.postMessage({ heldMs: (this.held * 1000) / sampleRate, underruns: this.underruns, droppedMs: (this.dropped * 1000) / sampleRate });
    return true;
  }
}

registerProcessor('jitter-buffer', JitterBuffer);
