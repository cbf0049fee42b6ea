/**
 * Imports a phone's local recording file (local-recording.ts) as a normal
 * recording on the VoIP port: read as a stream, bounded in size, decoded and
 * written through a one-leg recording session, indexed like any call.
 */
import type { Recorder } from '../recording/recorder.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import { RecorderError } from '../errors.ts';
import { LocalRecordingError, LocalRecordingReader } from './phone/local-recording.ts';
import { sessionStartOf } from './media/media-call.ts';

export interface ImportMeta {
  startedAt: number;
  localNumber?: string;
  localName?: string;
  remoteNumber?: string;
  remoteName?: string;
  direction: 'in' | 'out' | 'unknown';
  device?: string;
}

/** Channel of imported recordings: VoIP port 0, the last channel number (never a live call's slot). */
export const IMPORT_REF = { portType: 'voip', port: 0, channel: 65535 } as const;

export async function importLocalRecording(recorder: Recorder, body: AsyncIterable<Uint8Array>, meta: ImportMeta, maxBytes: number): Promise<RecordEntry> {
  const reader = new LocalRecordingReader();
  const session = recorder.open({ ...IMPORT_REF }, { ...sessionStartOf({ ...meta, at: meta.startedAt }, `import:${meta.device ?? ''}:${meta.startedAt}`, 'forced'), legs: 1 });
  let bytes = 0;
  let samples = 0;
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new RecorderError('PAYLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes`);
      const pcm = reader.push(chunk);
      if (pcm.length) {
        samples += pcm.length;
        session.write(0, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), 'pcm16', meta.startedAt + samples / 8);
      }
    }
    if (!reader.header) throw new LocalRecordingError('file shorter than its header');
    if (reader.counters.packets === 0) throw new LocalRecordingError('no RTP packet in the file');
  } catch (e) {
    session.close('manual', false, meta.startedAt + samples / 8);
    if (e instanceof LocalRecordingError) throw new RecorderError('VOIP_IMPORT_INVALID', e.message);
    throw e;
  }
  const entry = { ...session.entry };
  session.close('manual', true, meta.startedAt + samples / 8);
  await recorder.drain();
  return { ...entry, durationMs: Math.round(samples / 8), stopMode: 'manual' };
}
