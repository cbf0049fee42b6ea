/** The record service's way to a recording whose file the box no longer holds: its verified copy in the store. */
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordingReader } from '../recording/sealed-file.ts';
import type { ArchiveUploader } from './archive-uploader.ts';
import { openRemoteRecording } from './remote-reader.ts';

export interface RemoteCopies {
  /** The entry as the store's copy is (its file, codec, sealing) and a reader of it; null when there is no copy to read. */
  open(entry: RecordEntry, key: Buffer | null): Promise<{ entry: RecordEntry; reader: RecordingReader } | null>;
}

export function remoteCopiesOf(uploader: ArchiveUploader): RemoteCopies {
  return {
    async open(entry, key) {
      const copy = await uploader.copyOf(entry.id);
      const client = uploader.readerClient();
      if (!copy || !client) return null;
      const reader = await openRemoteRecording(client.inBucket(copy.bucket), copy, key);
      return { entry: { ...entry, file: copy.file, codec: copy.codec, sealed: copy.sealed, sizeBytes: copy.sizeBytes }, reader };
    },
  };
}
