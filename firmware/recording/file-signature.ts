/**
 * Signatures of recordings: the SHA-256 of the audio as a user downloads it,
 * the same whether the file on disk is plain or sealed (encrypted at rest).
 * Hashing goes in slices so the event loop is never held for long.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RecorderError } from '../errors.ts';
import { openRecordingReader } from './sealed-file.ts';

const BUFFER_SLICE_BYTES = 256 * 1024;

/** SHA-256 hex of the plaintext recording; a sealed file needs its key. */
export async function signatureOf(file: string, key: Buffer | null): Promise<string> {
  const reader = await openRecordingReader(file, key);
  try {
    const hash = createHash('sha256');
    for await (const piece of reader.stream(0, reader.size - 1)) hash.update(piece as Buffer);
    return hash.digest('hex');
  } finally {
    await reader.close();
  }
}

/** Whether the recording's plaintext has the expected SHA-256 (64 hex characters, any case). */
export async function verifyFile(file: string, expectedHex: string, key: Buffer | null): Promise<boolean> {
  const expected = parseSignature(expectedHex);
  return timingSafeEqual(Buffer.from(await signatureOf(file, key), 'hex'), expected);
}

/** SHA-256 hex of an uploaded file held in memory, hashed in 256 KiB slices between event-loop turns. */
export async function signatureOfBuffer(buf: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let at = 0; at < buf.length; at += BUFFER_SLICE_BYTES) {
    if (at > 0) await nextTurn();
    hash.update(buf.subarray(at, at + BUFFER_SLICE_BYTES));
  }
  return hash.digest('hex');
}

function parseSignature(hex: string): Buffer {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new RecorderError('BAD_REQUEST', 'A signature is a SHA-256 in 64 hexadecimal characters');
  }
  return Buffer.from(hex, 'hex');
}
