/**
 * Checks an upgrade package before anything of it is installed, then
 * unpacks it: the signature of the manifest by a trusted key, the payload's
 * length (a truncated file) and hash, the board; while unpacking every
 * file's length and hash again. Every failure is a RecorderError with a
 * package_* code and the reason.
 */
import { createHash, verify } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { RecorderError } from '../errors.ts';
import type { TrustedKey } from '../license/signing-keys.ts';
import { headerBytes, manifestSchema, MAX_MANIFEST_BYTES, PACKAGE_MAGIC, SIGNATURE_BYTES, type PackageManifest } from './package-format.ts';

export interface InspectedPackage {
  manifest: PackageManifest;
  signedBy: TrustedKey['name'];
  payloadOffset: number;
  fileBytes: number;
}

const invalid = (why: string) => new RecorderError('package_invalid', why);

export async function inspectPackage(file: string, keys: readonly TrustedKey[], board?: string, arch?: string): Promise<InspectedPackage> {
  const handle = await fsp.open(file, 'r');
  let manifestBuf: Buffer;
  let signature: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    const head = Buffer.alloc(PACKAGE_MAGIC.length + 4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.subarray(0, PACKAGE_MAGIC.length).equals(PACKAGE_MAGIC)) throw invalid('not an upgrade package (no RDXPKG1 header)');
    const manifestLength = head.readUInt32BE(PACKAGE_MAGIC.length);
    if (manifestLength === 0 || manifestLength > MAX_MANIFEST_BYTES) throw invalid('the package header is damaged');
    if (size < headerBytes(manifestLength)) throw invalid('the package is truncated (its header is incomplete)');
    manifestBuf = Buffer.alloc(manifestLength);
    await handle.read(manifestBuf, 0, manifestLength, head.length);
    const sigHead = Buffer.alloc(4);
    await handle.read(sigHead, 0, 4, head.length + manifestLength);
    if (sigHead.readUInt32BE(0) !== SIGNATURE_BYTES) throw new RecorderError('package_signature', 'the package carries no Ed25519 signature (unsigned)');
    signature = Buffer.alloc(SIGNATURE_BYTES);
    await handle.read(signature, 0, SIGNATURE_BYTES, head.length + manifestLength + 4);
  } finally {
    await handle.close();
  }
  const by = keys.find((k) => verify(null, manifestBuf, k.key, signature));
  if (!by) throw new RecorderError('package_signature', 'the package manifest is not signed by a key this box trusts');
  let manifest: PackageManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(manifestBuf.toString('utf8')));
  } catch (e) {
    throw invalid(`the package manifest is invalid: ${(e as Error).message.slice(0, 300)}`);
  }
  const payloadOffset = headerBytes(manifestBuf.length);
  const expected = payloadOffset + manifest.payload.bytes;
  if (size < expected) throw invalid(`the package is truncated: ${size} of ${expected} bytes`);
  if (size > expected) throw new RecorderError('package_tampered', `the package has ${size - expected} bytes more than its manifest says`);
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file, { start: payloadOffset }), hash);
  if (hash.digest('hex') !== manifest.payload.sha256) throw new RecorderError('package_tampered', 'the package payload does not match the hash in its signed manifest');
  if (board !== undefined && !manifest.boards.includes(board)) {
    throw new RecorderError('package_board', `the package is for ${manifest.boards.join(', ')}; this box is ${board}`);
  }
  if (arch !== undefined && manifest.arch !== undefined && manifest.arch !== arch) {
    throw new RecorderError('package_board', `the package is built for ${manifest.arch} processors; this box is ${arch}`);
  }
  return { manifest, signedBy: by.name, payloadOffset, fileBytes: size };
}

/** Unpacks a checked package into `dest` (which must not exist); removes it again when a file does not match. */
export async function unpackPackage(file: string, pkg: InspectedPackage, dest: string, onProgress?: (done: number, total: number) => void): Promise<void> {
  await fsp.mkdir(dest, { recursive: false });
  try {
    const files = pkg.manifest.files;
    const total = files.reduce((n, f) => n + f.bytes, 0);
    let index = 0;
    let left = files[0]!.bytes;
    let fd = -1;
    let hash = createHash('sha256');
    let done = 0;
    const openNext = () => {
      const f = files[index]!;
      const target = path.join(dest, f.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fd = fs.openSync(target, 'wx', f.mode);
      hash = createHash('sha256');
      left = f.bytes;
    };
    const finishFile = () => {
      const f = files[index]!;
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = -1;
      if (hash.digest('hex') !== f.sha256) throw new RecorderError('package_tampered', `${f.path} does not match its hash in the manifest`);
      index++;
    };
    /** Closes the files that are complete (an empty one at once) and opens the next one with bytes to come. */
    const advance = () => {
      while (index < files.length && left === 0) {
        finishFile();
        if (index < files.length) openNext();
      }
    };
    openNext();
    advance();
    const gunzip = createGunzip();
    fs.createReadStream(file, { start: pkg.payloadOffset }).pipe(gunzip);
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        if (index >= files.length) throw new RecorderError('package_tampered', 'the payload holds more bytes than its files');
        const n = Math.min(left, chunk.length - off);
        const part = chunk.subarray(off, off + n);
        fs.writeSync(fd, part);
        hash.update(part);
        left -= n;
        off += n;
        done += n;
        advance();
      }
      onProgress?.(done, total);
    }
    if (index < files.length) {
      if (fd >= 0) fs.closeSync(fd);
      throw new RecorderError('package_tampered', `the payload ends before ${files[index]!.path}`);
    }
  } catch (e) {
    await fsp.rm(dest, { recursive: true, force: true });
    if (e instanceof RecorderError) throw e;
    throw new RecorderError('package_invalid', `the package cannot be unpacked: ${(e as Error).message}`);
  }
}
