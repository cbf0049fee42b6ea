/** VoIP status as a client sees it (VoIP录音状态): references as text, times in ISO 8601. */
import { refKey, type VoipCallStats, type VoipStatus } from '../../app/vocabulary.ts';

export function presentCall(s: VoipCallStats) {
  return {
    id: s.id,
    source: s.source,
    callId: s.callId,
    ref: refKey(s.ref),
    recordId: s.recordId,
    device: s.device,
    localNumber: s.localNumber,
    remoteNumber: s.remoteNumber,
    direction: s.direction,
    startTime: new Date(s.startedAt).toISOString(),
    durationS: Math.round(s.durationMs / 100) / 10,
    paused: s.paused,
    digits: s.digits,
    endReason: s.endReason,
    streams: s.streams.map((x) => ({
      label: x.label, leg: x.leg, port: x.port, peer: x.sender, codec: x.codec, packets: x.packets, lost: x.lost, late: x.late,
      duplicates: x.duplicates, foreign: x.foreign, malformed: x.malformed, jitterMs: x.jitterMs,
    })),
  };
}

export function presentStatus(s: VoipStatus) {
  return {
    licensed: s.licensed,
    enabled: s.enabled,
    phonePort: s.phonePort,
    sipPort: s.sipPort,
    siprec: s.siprec.map((x) => ({
      sipCallId: x.sipCallId, callId: x.callId, peer: x.peer, state: x.state,
      streams: x.streams.map((st) => ({ label: st.label, leg: st.leg, port: st.port, remote: st.remote ? `${st.remote.address}:${st.remote.port}` : null, codec: st.codec })),
    })),
    active: s.active.length,
    items: s.active.map(presentCall),
    ended: s.ended.map(presentCall),
  };
}
