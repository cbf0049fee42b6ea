/**
 * Encryption at rest of finished recordings: the sealed-file format and one
 * reader for plain and sealed recordings (see docs/encryption.md).
 *
 * A sealed file is a 48-byte header followed by the plaintext cut into chunks
 * (64 KiB, the last one shorter, at least one chunk even for an empty
 * recording), each sealed with AES-256-GCM and followed by its 16-byte tag.
 * Every chunk authenticates the whole header, its own index and whether it is
 * the last one, so a changed header, reordered, dropped or truncated chunks
 * all fail authentication. Work is done one chunk at a time: memory stays
 * bounded and the event loop gets control back between chunks.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { RecorderError } from '../errors.ts';
import { syncFolder } from './durable-files.ts';

export const SEAL_MAGIC = Buffer.from('RDXSEAL1', 'latin1');
export const SEAL_VERSION = 1;
export const SEAL_HEADER_BYTES = 48;
export const SEAL_CHUNK_BYTES = 64 * 1024;
export const SEAL_TAG_BYTES = 16;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const MIN_CHUNK = 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
const PLAIN_READ_BYTES = 64 * 1024;

/** What the header of a sealed file says. */
export interface SealHeader {
  chunkBytes: number;
  plainBytes: number;
  keyId: Buffer;
  baseNonce: Buffer;
  raw: Buffer;
}

export interface SealResult {
  plainBytes: number;
  sealedBytes: number;
  /** SHA-256 hex of the plaintext, the recording's signature. */
  sha256: string;
}

export interface RecordingReader {
  /** Size of the recording as a user downloads it (the plaintext). */
  readonly size: number;
  readonly sealed: boolean;
  /** Bytes start..endInclusive of the plaintext; start = endInclusive + 1 gives an empty stream. */
  stream(start: number, endInclusive: number): Readable;
  close(): Promise<void>;
}

/** The 32-byte key from the 64 hex characters of the configuration. */
export function parseKey(hex: string): Buffer {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hex)) {
    const found = typeof hex !== 'string' ? 'is not a string' : hex.length !== 64 ? `has ${hex.length} characters` : 'has characters other than 0-9 and a-f';
    throw new RecorderError('ENCRYPTION_KEY_INVALID', `The encryption key must be 64 hexadecimal characters (32 bytes); the configured one ${found}`);
  }
  const key = Buffer.from(hex, 'hex');
  if (key.every((b) => b === 0)) throw new RecorderError('ENCRYPTION_KEY_INVALID', 'The encryption key is all zeros; generate a random one');
  return key;
}

/** Identifies a key without revealing it: the first 8 bytes of its SHA-256, as 16 hex characters. */
export function keyId(key: Buffer): string {
  return keyIdBytes(checkKey(key)).toString('hex');
}

/** Whether the file starts with the sealed-file magic. */
export async function isSealedFile(file: string): Promise<boolean> {
  const handle = await openOrMissing(file);
  try {
    const head = Buffer.alloc(SEAL_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(SEAL_MAGIC);
  } finally {
    await handle.close();
  }
}

/**
 * Seals a finished plain recording into `dst` (which may be `src` itself).
 * Writes a temporary file next to `dst`, fsyncs it and renames it over `dst`:
 * on failure `dst` is untouched and no temporary file is left.
 */
export async function sealFile(src: string, dst: string, key: Buffer): Promise<SealResult> {
  checkKey(key);
  const input = await openOrMissing(src);
  try {
    const plainBytes = (await input.stat()).size;
    const head = Buffer.alloc(SEAL_MAGIC.length);
    await readFully(input, head, 0);
    if (plainBytes >= SEAL_MAGIC.length && head.equals(SEAL_MAGIC)) {
      throw new RecorderError('SEAL_SOURCE_INVALID', `${src} is already encrypted`);
    }
    const header = makeHeader(key, plainBytes);
    const cipherKey = chunkKey(key, header.baseNonce);
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(SEAL_CHUNK_BYTES);
    const sealedBytes = await writeDurably(dst, async (out) => {
      await writeAll(out, header.raw);
      const count = chunkCount(header);
      for (let i = 0; i < count; i++) {
        const len = chunkPlainBytes(header, i);
        if ((await readFully(input, buf.subarray(0, len), i * SEAL_CHUNK_BYTES)) !== len) {
          throw new RecorderError('SEAL_SOURCE_INVALID', `${src} shrank while being encrypted`);
        }
        hash.update(buf.subarray(0, len));
        const cipher = createCipheriv('aes-256-gcm', cipherKey, chunkNonce(header, i));
        cipher.setAAD(chunkAad(header, i));
        const sealed = Buffer.concat([cipher.update(buf.subarray(0, len)), cipher.final(), cipher.getAuthTag()]);
        await writeAll(out, sealed);
      }
      if ((await input.read(buf, 0, 1, plainBytes)).bytesRead !== 0) {
        throw new RecorderError('SEAL_SOURCE_INVALID', `${src} grew while being encrypted; only finished recordings can be encrypted`);
      }
      return sealedSize(header);
    });
    return { plainBytes, sealedBytes, sha256: hash.digest('hex') };
  } finally {
    await input.close();
  }
}

/** Decrypts a sealed recording into `dst` (same durability as sealFile); returns the plaintext size. */
export async function unsealFile(src: string, dst: string, key: Buffer): Promise<number> {
  const reader = await openRecordingReader(src, key);
  try {
    if (!reader.sealed) throw new RecorderError('SEAL_SOURCE_INVALID', `${src} is not encrypted`);
    await writeDurably(dst, async (out) => {
      for await (const piece of reader.stream(0, reader.size - 1)) await writeAll(out, piece as Buffer);
    });
    return reader.size;
  } finally {
    await reader.close();
  }
}

/**
 * One reader for plain and sealed recordings. A sealed file needs the key it
 * was sealed with; its stream decrypts only the chunks covering the range and
 * errors with SEALED_FILE_DAMAGED as soon as a chunk fails authentication,
 * before any of that chunk's bytes are passed on. Close it when the streams are done.
 */
export async function openRecordingReader(file: string, key: Buffer | null): Promise<RecordingReader> {
  const handle = await openOrMissing(file);
  try {
    const fileBytes = (await handle.stat()).size;
    const head = Buffer.alloc(SEAL_HEADER_BYTES);
    const headBytes = await readFully(handle, head, 0);
    if (headBytes < SEAL_MAGIC.length || !head.subarray(0, SEAL_MAGIC.length).equals(SEAL_MAGIC)) {
      return makeReader(handle, fileBytes, false, (start, end) => plainStream(handle, start, end));
    }
    if (headBytes < SEAL_HEADER_BYTES) throw new RecorderError('SEALED_FILE_TRUNCATED', `${file}: the header is cut short`);
    const header = parseHeader(head);
    if (key === null) throw new RecorderError('ENCRYPTION_KEY_MISSING', undefined, { file });
    if (!header.keyId.equals(keyIdBytes(checkKey(key)))) {
      throw new RecorderError('ENCRYPTION_KEY_MISMATCH', undefined, { file, fileKeyId: header.keyId.toString('hex'), configuredKeyId: keyId(key) });
    }
    const expected = sealedSize(header);
    if (fileBytes < expected) throw new RecorderError('SEALED_FILE_TRUNCATED', undefined, { file, fileBytes, expected });
    if (fileBytes > expected) throw new RecorderError('SEALED_FILE_DAMAGED', `${file} has bytes after its last chunk`, { fileBytes, expected });
    const cipherKey = chunkKey(key, header.baseNonce);
    return makeReader(handle, header.plainBytes, true, (start, end) => sealedStream(handle, header, cipherKey, start, end));
  } catch (e) {
    await handle.close();
    throw e;
  }
}

function makeReader(handle: fs.FileHandle, size: number, sealed: boolean, open: (start: number, end: number) => Readable): RecordingReader {
  return {
    size,
    sealed,
    stream(start, endInclusive) {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start - 1 || endInclusive >= size) {
        throw new RecorderError('RANGE_NOT_SATISFIABLE', `bytes ${start}-${endInclusive} are outside a ${size}-byte recording`);
      }
      return open(start, endInclusive);
    },
    close: () => handle.close(),
  };
}

/** A Readable fed by `next(position)`, which returns the bytes from there on (never empty before the end). */
function rangeStream(start: number, end: number, next: (position: number) => Promise<Buffer>): Readable {
  let position = start;
  return new Readable({
    read() {
      if (position > end) {
        this.push(null);
        return;
      }
      next(position).then(
        (piece) => {
          if (this.destroyed) return;
          const take = piece.subarray(0, Math.min(piece.length, end + 1 - position));
          position += take.length;
          this.push(take);
          if (position > end) this.push(null);
        },
        (e: unknown) => this.destroy(e as Error),
      );
    },
  });
}

function plainStream(handle: fs.FileHandle, start: number, end: number): Readable {
  return rangeStream(start, end, async (position) => {
    const buf = Buffer.allocUnsafe(Math.min(PLAIN_READ_BYTES, end + 1 - position));
    const { bytesRead } = await handle.read(buf, 0, buf.length, position);
    if (bytesRead === 0) throw new RecorderError('RECORD_FILE_MISSING', 'The recording file shrank while being read', { position });
    return buf.subarray(0, bytesRead);
  });
}

function sealedStream(handle: fs.FileHandle, header: SealHeader, cipherKey: Buffer, start: number, end: number): Readable {
  const sealed = Buffer.allocUnsafe(header.chunkBytes + SEAL_TAG_BYTES);
  return rangeStream(start, end, async (position) => {
    const index = Math.floor(position / header.chunkBytes);
    const len = chunkPlainBytes(header, index);
    const at = SEAL_HEADER_BYTES + index * (header.chunkBytes + SEAL_TAG_BYTES);
    const got = await readFully(handle, sealed.subarray(0, len + SEAL_TAG_BYTES), at);
    if (got !== len + SEAL_TAG_BYTES) throw new RecorderError('SEALED_FILE_TRUNCATED', 'The encrypted recording shrank while being read', { chunk: index });
    const plain = openChunk(header, cipherKey, index, sealed.subarray(0, len + SEAL_TAG_BYTES));
    return plain.subarray(position - index * header.chunkBytes);
  });
}

function openChunk(header: SealHeader, cipherKey: Buffer, index: number, sealed: Buffer): Buffer {
  const body = sealed.subarray(0, sealed.length - SEAL_TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', cipherKey, chunkNonce(header, index));
  decipher.setAAD(chunkAad(header, index));
  decipher.setAuthTag(sealed.subarray(body.length));
  const plain = decipher.update(body);
  try {
    decipher.final();
  } catch {
    throw new RecorderError('SEALED_FILE_DAMAGED', undefined, { chunk: index });
  }
  return plain;
}

function makeHeader(key: Buffer, plainBytes: number): SealHeader {
  const raw = Buffer.alloc(SEAL_HEADER_BYTES);
  SEAL_MAGIC.copy(raw, 0);
  raw.writeUInt8(SEAL_VERSION, 8);
  raw.writeUInt32BE(SEAL_CHUNK_BYTES, 12);
  raw.writeBigUInt64BE(BigInt(plainBytes), 16);
  keyIdBytes(key).copy(raw, 24);
  randomBytes(NONCE_BYTES).copy(raw, 32);
  return parseHeader(raw);
}

function parseHeader(raw: Buffer): SealHeader {
  const version = raw.readUInt8(8);
  const chunkBytes = raw.readUInt32BE(12);
  const plainBytes = raw.readBigUInt64BE(16);
  if (version !== SEAL_VERSION) throw new RecorderError('SEALED_FILE_UNSUPPORTED', `sealed-file format version ${version} is not supported`);
  if (chunkBytes < MIN_CHUNK || chunkBytes > MAX_CHUNK || plainBytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RecorderError('SEALED_FILE_DAMAGED', 'The encrypted recording has an impossible header', { chunkBytes, plainBytes: String(plainBytes) });
  }
  return { chunkBytes, plainBytes: Number(plainBytes), keyId: raw.subarray(24, 32), baseNonce: raw.subarray(32, 44), raw };
}

const chunkCount = (h: SealHeader) => Math.max(1, Math.ceil(h.plainBytes / h.chunkBytes));
const chunkPlainBytes = (h: SealHeader, i: number) => Math.min(h.chunkBytes, h.plainBytes - i * h.chunkBytes);
const sealedSize = (h: SealHeader) => SEAL_HEADER_BYTES + h.plainBytes + chunkCount(h) * SEAL_TAG_BYTES;

/** Base nonce with its last 8 bytes XORed with the chunk index. */
function chunkNonce(h: SealHeader, index: number): Buffer {
  const nonce = Buffer.from(h.baseNonce);
  nonce.writeBigUInt64BE(nonce.readBigUInt64BE(4) ^ BigInt(index), 4);
  return nonce;
}

/** Header, chunk index (u64 BE) and last-chunk flag (u8). */
function chunkAad(h: SealHeader, index: number): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail.writeUInt8(index === chunkCount(h) - 1 ? 1 : 0, 8);
  return Buffer.concat([h.raw, tail]);
}

/** A key per file, so that nonces of different files never meet under the same key. */
function chunkKey(key: Buffer, baseNonce: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, baseNonce, 'RDXSEAL1 chunk key', KEY_BYTES));
}

const keyIdBytes = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8);

function checkKey(key: Buffer): Buffer {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new RecorderError('ENCRYPTION_KEY_INVALID', 'The encryption key must be 32 bytes');
  return key;
}

async function openOrMissing(file: string): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new RecorderError('RECORD_FILE_MISSING', undefined, { file });
    throw e;
  }
}

/** Reads until `buf` is full or the file ends; returns the bytes read. */
async function readFully(handle: fs.FileHandle, buf: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await handle.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

async function writeAll(out: fs.FileHandle, buf: Buffer): Promise<void> {
  for (let done = 0; done < buf.length; ) done += (await out.write(buf, done, buf.length - done)).bytesWritten;
}

/** Writes a temporary file next to `dst` with `fill`, fsyncs it, renames it over `dst` and fsyncs the folder. */
async function writeDurably<T>(dst: string, fill: (out: fs.FileHandle) => Promise<T>): Promise<T> {
  const tmp = `${dst}.${randomBytes(6).toString('hex')}.tmp`;
  const out = await fs.open(tmp, 'wx');
  try {
    const result = await fill(out);
    await out.sync();
    await out.close();
    await fs.rename(tmp, dst);
    await syncFolder(path.dirname(dst));
    return result;
  } catch (e) {
    await out.close().catch(() => {});
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
