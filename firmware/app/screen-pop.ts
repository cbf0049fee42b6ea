/**
 * Screen pop (来电弹屏, manual 4.6.2): from a channel's state events, when a
 * seat's screen shows an incoming call. On ringing (振铃: the first ring of an
 * incoming call, then again when the caller ID arrives after it) or on
 * answer (摘机接听: the line goes off hook during an incoming call, or an E1
 * or VoIP call starts recording); `auto` follows the manual: on ringing when
 * the channel's control mode is 铃流控, else on answer. A call's pops share
 * its `callId`; `ended` closes it. Pure: events in, pops out.
 */
import { classifyVoltage } from '../calls/line-classifier.ts';
import type { ChannelConfig } from '../calls/channel-config.ts';
import type { ChannelStateEvent } from '../events/box-events.ts';
import { refKey } from '../ports/channel-ref.ts';
import type { PopTrigger } from '../settings/seat-settings.ts';

export interface ScreenPop {
  ref: string;
  /** Same for every pop of one call. */
  callId: string;
  phase: 'ringing' | 'answered' | 'ended';
  remoteNumber: string;
  callerName: string;
  at: number;
}

interface CallState {
  callId: string;
  answered: boolean;
  popped: boolean;
  number: string;
  name: string;
}

export class PopTracker {
  private call: CallState | null = null;

  /** The pop an event causes, if any. */
  update(e: ChannelStateEvent, trigger: PopTrigger, config: Pick<ChannelConfig, 'controlMode' | 'offhookVoltage' | 'disconnectVoltage'>): ScreenPop | null {
    const on = trigger === 'auto' ? (config.controlMode === 'ring' ? 'ring' : 'answer') : trigger;
    if (e.state !== 'incoming') {
      const c = this.call;
      this.call = null;
      return c?.popped ? this.pop(c, 'ended', e) : null;
    }
    if (!this.call) this.call = { callId: `${refKey(e.ref)}@${e.at}`, answered: false, popped: false, number: '', name: '' };
    const c = this.call;
    const offHook = e.ref.portType === 'analog' ? !e.ringing && classifyVoltage(e.voltage, config.offhookVoltage, config.disconnectVoltage) === 'offhook' : e.recording;
    const newlyAnswered = !c.answered && offHook;
    if (newlyAnswered) c.answered = true;
    const numberChanged = e.remoteNumber !== c.number || e.callerName !== c.name;
    c.number = e.remoteNumber;
    c.name = e.callerName;
    if (on === 'ring') {
      if (!c.popped || numberChanged || newlyAnswered) {
        c.popped = true;
        return this.pop(c, c.answered ? 'answered' : 'ringing', e);
      }
      return null;
    }
    if (!c.answered) return null;
    if (!c.popped || numberChanged) {
      c.popped = true;
      return this.pop(c, 'answered', e);
    }
    return null;
  }

  private pop(c: CallState, phase: ScreenPop['phase'], e: ChannelStateEvent): ScreenPop {
    return { ref: refKey(e.ref), callId: c.callId, phase, remoteNumber: c.number, callerName: c.name, at: e.at };
  }
}
