/**
 * Last steps of a finished recording file, before it is indexed: its SHA-256
 * signature (of the plaintext, what a user downloads) and, when encryption
 * at rest is on, sealing it in place. Each step can safely run again after a
 * power loss: a file already sealed is not sealed twice.
 */
import path from 'node:path';
import type { RecordEntry } from './record-entry.ts';
import { signatureOf } from './file-signature.ts';
import { isSealedFile, sealFile } from './sealed-file.ts';

export class FileFinisher {
  constructor(
    readonly dataDir: string,
    /** AES-256 key; null: recordings stay plain. */
    readonly key: Buffer | null,
  ) {}

  async finish(entry: RecordEntry): Promise<RecordEntry> {
    if (!entry.file) return { ...entry, sealed: false, sha256: null };
    const file = path.join(this.dataDir, entry.file);
    const sealed = await isSealedFile(file);
    if (this.key && !sealed) {
      // Sealing replaces the file atomically and hashes the plaintext on the way.
      const { sha256 } = await sealFile(file, file, this.key);
      return { ...entry, sha256, sealed: true };
    }
    return { ...entry, sha256: await signatureOf(file, sealed ? this.key : null), sealed };
  }
}
