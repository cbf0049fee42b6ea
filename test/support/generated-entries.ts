/** Index entries made up in bulk (no files behind them), for exports of large searches in tests and benchmarks. */
import fs from 'node:fs';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { recordId, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { recordingFile } from '../../firmware/recording/recording-paths.ts';

/** The i-th entry, 37 s before the (i-1)-th, the first an hour before `newest`, over 8 lines. */
export function generatedEntry(i: number, newest: number): RecordEntry {
  const ref = analogRef(i % 8);
  const startedAt = newest - 3_600_000 - i * 37_000;
  const id = recordId(startedAt, ref, 1);
  return {
    ...ref, id, callId: id, part: 1, lineNumber: String(8000 + (i % 8)), localName: '', remoteNumber: `1380013${String(i % 10_000).padStart(4, '0')}`,
    callerName: i % 3 ? '' : '客户', callType: i % 2 ? 'outgoing' : 'incoming-answered', direction: i % 2 ? 'outgoing' : 'incoming', participants: '',
    startedAt, durationMs: 1000 + (i % 600) * 1000, startMode: 'voltage', stopMode: 'hangup', level: 'normal',
    file: recordingFile(startedAt, ref, id), sizeBytes: 8000, codec: 'alaw', stereo: false, archived: false, sealed: false, sha256: null, deleted: false,
  };
}

/** Writes `count` generated entries into the index of `dataDir` (created). */
export async function writeGeneratedIndex(dataDir: string, count: number, newest: number): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const index = new RecordIndex(path.join(dataDir, 'index'));
  await index.open();
  try {
    for (let i = 0; i < count; i += 5000) await index.putMany(Array.from({ length: Math.min(5000, count - i) }, (_, k) => generatedEntry(i + k, newest)));
  } finally {
    await index.close();
  }
}
