/** What a call needs from the media layer: recorder, ports, events, clock and live settings. */
import type { Recorder } from '../../recording/recorder.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { AudioTap } from '../../events/audio-tap.ts';
import type { PortPool } from './port-pool.ts';
import type { VoipCall } from './voip-call.ts';

export interface MediaLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MediaContext {
  recorder: Recorder;
  ports: PortPool;
  events: EventBus;
  tap: AudioTap;
  log: MediaLogger;
  now(): number;
  delaySamples(): number;
  silenceTimeoutMs(): number;
  minDurationMs(): number;
  layout(): 'stereo' | 'mono';
  closed(call: VoipCall): void;
}
