/** What a client sees of an E1 port and its timeslots: times in ISO 8601, durations in seconds. */
import type { TimeslotStatus, TrunkPortStatus } from '../../app/vocabulary.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function presentPort(p: TrunkPortStatus) {
  return {
    port: p.port,
    state: p.state,
    settings: p.config,
    sides: p.sides,
    activeCalls: p.activeCalls,
    recordings: p.recordings,
    blocks: p.blocks,
    lostBlocks: p.lostBlocks,
    signallingStats: p.tap,
  };
}

export function presentTimeslot(t: TimeslotStatus) {
  return {
    timeslot: t.timeslot,
    ref: t.ref,
    phase: t.phase,
    direction: t.direction,
    calling: t.calling,
    called: t.called,
    since: iso(t.since),
    recorded: t.recorded,
    recording: t.recording,
    recordingId: t.recordingId,
    recordingS: Math.round(t.recordingMs / 100) / 10,
  };
}
