/** Finished recordings made by the real recorder in a temporary data folder, for store tests. */
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { tempDir } from './temp-dir.ts';

export const quiet = { info() {}, error() {}, warn() {}, child: () => quiet };
export const KEY = Buffer.alloc(32, 7);

export function speechLike(n: number, offset: number): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => {
    const t = (i + offset) / 8000;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t);
    return Math.round(6000 * env * (Math.sin(2 * Math.PI * 300 * t) + 0.5 * Math.sin(2 * Math.PI * 1170 * t)));
  });
}

export interface StoreFixture {
  dataDir: string;
  index: RecordIndex;
  recorder: Recorder;
  finisher: FileFinisher;
  /** Records a call of `seconds` on a channel, finished and indexed. */
  record(channel: number, at: number, seconds: number, remoteNumber?: string): Promise<RecordEntry>;
}

export async function storeFixture(key: Buffer | null = null, dataDir = tempDir('store-')): Promise<StoreFixture> {
  const index = new RecordIndex(path.join(dataDir, 'index'));
  await index.open();
  const finisher = new FileFinisher(dataDir, key);
  const recorder = new Recorder(dataDir, index, 'alaw', finisher, quiet);
  return {
    dataDir,
    index,
    recorder,
    finisher,
    async record(channel, at, seconds, remoteNumber = '13800138000') {
      const s = recorder.open(analogRef(channel), {
        callId: `${channel}-${at}`, callType: 'outgoing', part: 1, startMode: 'voltage', at,
        lineNumber: String(8000 + channel), remoteNumber, callerName: '', level: 'normal',
      });
      const id = s.entry.id;
      for (let t = 0; t < seconds * 1000; t += 20) s.write(0, alawEncode(speechLike(160, t * 8)), 'alaw', at + t);
      s.close('hangup', true, at + seconds * 1000);
      await recorder.drain();
      return (await index.get(id))!;
    },
  };
}
