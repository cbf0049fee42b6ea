/** Drives a call machine the way the line card reports a line: status every 100 ms. */
import { CallMachine, type Decision } from '../../firmware/calls/call-machine.ts';
import { DEFAULT_RECORDING_PARAMS, defaultChannelConfig, type ChannelConfig, type RecordingParams } from '../../firmware/calls/channel-config.ts';

export const ONHOOK = 48;
export const OFFHOOK = 8;

/** Drives a machine with line status every 100 ms, as the card reports it. */
export class Line {
  t = 0;
  readonly decisions: Decision[] = [];
  constructor(readonly m: CallMachine) {}
  hold(voltage: number, ms: number, ringing = false) {
    for (const end = this.t + ms; this.t < end; this.t += 100) this.decisions.push(...this.m.onLineStatus(voltage, ringing, this.t));
  }
  /** China ring cadence: 1 s of ring AC, 4 s quiet. */
  ring(count: number) {
    for (let i = 0; i < count; i++) {
      this.hold(ONHOOK, 1000, true);
      if (i < count - 1) this.hold(ONHOOK, 4000);
    }
  }
  kinds(kind: Decision['kind']) {
    return this.decisions.filter((d) => d.kind === kind);
  }
}

export function machine(params: Partial<RecordingParams> = {}, config: Partial<ChannelConfig> = {}) {
  return new Line(new CallMachine(3, { ...defaultChannelConfig(3), ...config }, { ...DEFAULT_RECORDING_PARAMS, ...params }));
}

