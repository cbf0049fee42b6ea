/** What a client sees of a channel: its reference, state with the manual's label, numbers, recording. */
import { CHANNEL_STATE_LABEL, START_MODE_LABEL, refKey, type ChannelView } from '../../app/vocabulary.ts';
import { iso } from '../params.ts';

export function presentChannel(v: ChannelView) {
  return {
    ref: refKey(v.ref),
    portType: v.ref.portType,
    port: v.ref.port,
    channel: v.channel,
    name: v.name,
    state: v.state,
    stateLabel: CHANNEL_STATE_LABEL[v.state],
    voltage: v.voltage,
    ringing: v.ringing,
    polarityReversed: v.polarityReversed,
    recordingEnabled: v.recordingEnabled,
    recording: v.recording,
    recordingId: v.recordingId,
    recordingSince: iso(v.recordingSince),
    recordingS: Math.round(v.recordingMs / 1000),
    recordingMode: v.recordingMode,
    recordingModeLabel: v.recordingMode ? START_MODE_LABEL[v.recordingMode] : null,
    controlMode: v.controlMode,
    forcedRecording: v.forcedRecording,
    lineNumber: v.lineNumber,
    remoteNumber: v.remoteNumber,
    callerName: v.callerName,
    level: Math.round(v.level),
  };
}
