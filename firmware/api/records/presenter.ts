/** What a client sees of an index entry: times in ISO 8601, durations in seconds, labels from the manual. */

export function presentRecord(e: RecordEntry) {
  return {
    id: e.id,
    callId: e.callId,
    part: e.part,
    ref: refKey(e),
    portType: e.portType,
    port: e.port,
    channel: e.channel,
    lineNumber: e.lineNumber,
    localName: e.localName,
    remoteNumber: e.remoteNumber,
    callerName: e.callerName,
    participants: e.participants,
    callType: e.callType,
    callTypeLabel: CALL_TYPE_LABEL[e.callType],
    direction: e.direction,
    startTime: new Date(e.startedAt).toISOString(),
    durationS: Math.round(e.durationMs / 100) / 10,
    startMode: e.startMode,
    startModeLabel: START_MODE_LABEL[e.startMode],
    stopMode: e.stopMode,
    stopModeLabel: e.stopMode ? STOP_MODE_LABEL[e.stopMode] : null,
    level: e.level,
    file: e.file,
    sizeBytes: e.sizeBytes,
    codec: e.codec,
    stereo: e.stereo,
    store: e.archived ? 'history' : 'today',
    sealed: e.sealed,
    sha256: e.sha256,
    deleted: e.deleted,
    audioUrl: e.file ? `/api/v1/records/${encodeURIComponent(e.id)}/audio` : null,
  };
}import { CALL_TYPE_LABEL, START_MODE_LABEL, STOP_MODE_LABEL, refKey, type RecordEntry } from '../../app/vocabulary.ts';

