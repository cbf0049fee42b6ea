import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer as collect } from 'node:stream/consumers';
import { isRecorderError } from '../../firmware/errors.ts';
import {
  SEAL_CHUNK_BYTES,
  SEAL_HEADER_BYTES,
  SEAL_TAG_BYTES,
  isSealedFile,
  keyId,
  openRecordingReader,
  parseKey,
  sealFile,
  unsealFile,
} from '../../firmware/recording/sealed-file.ts';

const KEY = parseKey('4f'.repeat(32));
const OTHER_KEY = parseKey('a1'.repeat(32));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-'));
let n = 0;
const file = (name: string) => path.join(dir, `${n++}-${name}`);
const SEALED_CHUNK = SEAL_CHUNK_BYTES + SEAL_TAG_BYTES;

async function sealed(plain: Buffer): Promise<string> {
  const src = file('plain.wav');
  fs.writeFileSync(src, plain);
  const dst = file('sealed.wav');
  await sealFile(src, dst, KEY);
  return dst;
}

async function read(f: string, key: Buffer | null, start: number, end: number): Promise<Buffer> {
  const reader = await openRecordingReader(f, key);
  try {
    return await collect(reader.stream(start, end));
  } finally {
    await reader.close();
  }
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRecorderError(e), `expected a RecorderError, got ${String(e)}`);
    assert.is(e.code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

for (const size of [0, 1, 65535, 65536, 65537, 3 * 1024 * 1024]) {
  test(`a ${size}-byte recording seals, reads back and unseals to the same bytes`, async () => {
    const plain = randomBytes(size);
    const src = file('plain.wav');
    fs.writeFileSync(src, plain);
    const dst = file('sealed.wav');
    const result = await sealFile(src, dst, KEY);
    const onDisk = fs.readFileSync(dst);
    assert.is(result.plainBytes, size);
    assert.is(result.sealedBytes, onDisk.length);
    assert.is(onDisk.length, SEAL_HEADER_BYTES + size + Math.max(1, Math.ceil(size / SEAL_CHUNK_BYTES)) * SEAL_TAG_BYTES);
    if (size >= 64) assert.is(onDisk.indexOf(plain.subarray(0, 64)), -1, 'no plaintext on disk');
    assert.ok(await isSealedFile(dst));
    assert.not.ok(await isSealedFile(src));
    const reader = await openRecordingReader(dst, KEY);
    assert.is(reader.size, size);
    assert.ok(reader.sealed);
    await reader.close();
    assert.ok((await read(dst, KEY, 0, size - 1)).equals(plain));
    const back = file('unsealed.wav');
    assert.is(await unsealFile(dst, back, KEY), size);
    assert.ok(fs.readFileSync(back).equals(plain));
  });
}

test('range reads at chunk boundaries and at random equal the plaintext slice', async () => {
  const plain = randomBytes(5 * SEAL_CHUNK_BYTES + 1234);
  const f = await sealed(plain);
  const c = SEAL_CHUNK_BYTES;
  const ranges: Array<[number, number]> = [
    [0, 0], [c - 1, c - 1], [c, c], [c - 1, c], [c - 5, 2 * c + 5], [c, 2 * c - 1], [5 * c, plain.length - 1],
    [plain.length - 1, plain.length - 1], [10, 9],
  ];
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(Math.random() * plain.length);
    ranges.push([a, a + Math.floor(Math.random() * (plain.length - a))]);
  }
  const reader = await openRecordingReader(f, KEY);
  for (const [a, b] of ranges) {
    assert.ok((await collect(reader.stream(a, b))).equals(plain.subarray(a, b + 1)), `bytes ${a}-${b}`);
  }
  assert.throws(() => reader.stream(0, plain.length), (e: unknown) => isRecorderError(e) && e.code === 'RANGE_NOT_SATISFIABLE');
  await reader.close();
});

test('a plain recording is read through the same reader, with or without a key', async () => {
  const plain = randomBytes(200_000);
  const f = file('plain.wav');
  fs.writeFileSync(f, plain);
  for (const key of [null, KEY]) {
    const reader = await openRecordingReader(f, key);
    assert.is(reader.size, plain.length);
    assert.not.ok(reader.sealed);
    assert.ok((await collect(reader.stream(70_000, 150_000))).equals(plain.subarray(70_000, 150_001)));
    await reader.close();
  }
});

test('concurrent range streams of one reader each get their own slice', async () => {
  const plain = randomBytes(20 * SEAL_CHUNK_BYTES + 77);
  const f = await sealed(plain);
  const reader = await openRecordingReader(f, KEY);
  const ranges = Array.from({ length: 12 }, (_, i) => [i * 90_000, i * 90_000 + 200_000] as const);
  const got = await Promise.all(ranges.map(([a, b]) => collect(reader.stream(a, b))));
  ranges.forEach(([a, b], i) => assert.ok(got[i]!.equals(plain.subarray(a, b + 1)), `stream ${i}`));
  await reader.close();
});

test('a sealed recording with no key configured, or another key, is refused clearly', async () => {
  const f = await sealed(randomBytes(1000));
  await rejectsWith(openRecordingReader(f, null), 'ENCRYPTION_KEY_MISSING');
  await rejectsWith(openRecordingReader(f, OTHER_KEY), 'ENCRYPTION_KEY_MISMATCH');
  await rejectsWith(unsealFile(f, file('out.wav'), OTHER_KEY), 'ENCRYPTION_KEY_MISMATCH');
});

test('a flipped bit in a chunk makes the stream fail at that chunk', async () => {
  const plain = randomBytes(3 * SEAL_CHUNK_BYTES);
  const f = await sealed(plain);
  const bytes = fs.readFileSync(f);
  bytes[SEAL_HEADER_BYTES + SEALED_CHUNK + 100]! ^= 0x01;
  fs.writeFileSync(f, bytes);
  assert.ok((await read(f, KEY, 0, SEAL_CHUNK_BYTES - 1)).equals(plain.subarray(0, SEAL_CHUNK_BYTES)), 'chunk 0 still reads');
  await rejectsWith(read(f, KEY, 0, plain.length - 1), 'SEALED_FILE_DAMAGED');
  const out = file('out.wav');
  await rejectsWith(unsealFile(f, out, KEY), 'SEALED_FILE_DAMAGED');
  assert.not.ok(fs.existsSync(out), 'no output left behind');
  assert.equal(fs.readdirSync(dir).filter((x) => x.endsWith('.tmp')), []);
});

test('a flipped bit in a tag or in the header is detected', async () => {
  const f = await sealed(randomBytes(2 * SEAL_CHUNK_BYTES));
  const bytes = fs.readFileSync(f);
  const tag = Buffer.from(bytes);
  tag[SEAL_HEADER_BYTES + SEALED_CHUNK - 1]! ^= 0x80;
  fs.writeFileSync(f, tag);
  await rejectsWith(read(f, KEY, 0, 10), 'SEALED_FILE_DAMAGED');
  const nonce = Buffer.from(bytes);
  nonce[40]! ^= 0x01;
  fs.writeFileSync(f, nonce);
  await rejectsWith(read(f, KEY, 0, 10), 'SEALED_FILE_DAMAGED');
});

test('a truncated last chunk, a dropped chunk or a shortened length are detected', async () => {
  const plain = randomBytes(3 * SEAL_CHUNK_BYTES + 500);
  const f = await sealed(plain);
  const bytes = fs.readFileSync(f);
  fs.writeFileSync(f, bytes.subarray(0, bytes.length - 10));
  await rejectsWith(openRecordingReader(f, KEY), 'SEALED_FILE_TRUNCATED');
  const dropped = Buffer.concat([bytes.subarray(0, SEAL_HEADER_BYTES + SEALED_CHUNK), bytes.subarray(SEAL_HEADER_BYTES + 2 * SEALED_CHUNK)]);
  fs.writeFileSync(f, dropped);
  await rejectsWith(openRecordingReader(f, KEY), 'SEALED_FILE_TRUNCATED');
  // Whole last chunk cut off and the length in the header lowered to match.
  const cut = Buffer.from(bytes.subarray(0, SEAL_HEADER_BYTES + 3 * SEALED_CHUNK));
  cut.writeBigUInt64BE(BigInt(3 * SEAL_CHUNK_BYTES), 16);
  fs.writeFileSync(f, cut);
  await rejectsWith(read(f, KEY, 0, 3 * SEAL_CHUNK_BYTES - 1), 'SEALED_FILE_DAMAGED');
  await rejectsWith(read(f, KEY, 2 * SEAL_CHUNK_BYTES, 3 * SEAL_CHUNK_BYTES - 1), 'SEALED_FILE_DAMAGED');
  fs.writeFileSync(f, Buffer.concat([bytes, Buffer.from([0])]));
  await rejectsWith(openRecordingReader(f, KEY), 'SEALED_FILE_DAMAGED');
  fs.writeFileSync(f, bytes.subarray(0, 20));
  await rejectsWith(openRecordingReader(f, KEY), 'SEALED_FILE_TRUNCATED');
});

test('swapped chunks are detected', async () => {
  const f = await sealed(randomBytes(3 * SEAL_CHUNK_BYTES));
  const bytes = fs.readFileSync(f);
  const c = (i: number) => bytes.subarray(SEAL_HEADER_BYTES + i * SEALED_CHUNK, SEAL_HEADER_BYTES + (i + 1) * SEALED_CHUNK);
  fs.writeFileSync(f, Buffer.concat([bytes.subarray(0, SEAL_HEADER_BYTES), c(1), c(0), c(2)]));
  await rejectsWith(read(f, KEY, 0, 10), 'SEALED_FILE_DAMAGED');
  await rejectsWith(read(f, KEY, SEAL_CHUNK_BYTES, SEAL_CHUNK_BYTES + 10), 'SEALED_FILE_DAMAGED');
  // The same chunk from another file sealed with the same key does not fit either.
  const other = fs.readFileSync(await sealed(randomBytes(3 * SEAL_CHUNK_BYTES)));
  fs.writeFileSync(f, Buffer.concat([bytes.subarray(0, SEAL_HEADER_BYTES + SEALED_CHUNK), other.subarray(SEAL_HEADER_BYTES + SEALED_CHUNK)]));
  await rejectsWith(read(f, KEY, SEAL_CHUNK_BYTES, SEAL_CHUNK_BYTES + 10), 'SEALED_FILE_DAMAGED');
});

test('sealing in place replaces the plain file; sealing twice is refused', async () => {
  const plain = randomBytes(100_000);
  const f = file('inplace.wav');
  fs.writeFileSync(f, plain);
  await sealFile(f, f, KEY);
  assert.ok(await isSealedFile(f));
  assert.ok((await read(f, KEY, 0, plain.length - 1)).equals(plain));
  await rejectsWith(sealFile(f, f, KEY), 'SEAL_SOURCE_INVALID');
  assert.ok((await read(f, KEY, 0, plain.length - 1)).equals(plain), 'untouched after the refusal');
});

test('sealing a missing file leaves nothing behind', async () => {
  const dst = file('never.wav');
  await rejectsWith(sealFile(file('missing.wav'), dst, KEY), 'RECORD_FILE_MISSING');
  assert.not.ok(fs.existsSync(dst));
  await rejectsWith(openRecordingReader(file('missing.wav'), KEY), 'RECORD_FILE_MISSING');
});

test('parseKey accepts 64 hex characters only; keyId names a key without revealing it', () => {
  assert.is(parseKey('AB'.repeat(32)).length, 32);
  for (const bad of ['', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32), ` ${'ab'.repeat(32)}`, '00'.repeat(32)]) {
    assert.throws(() => parseKey(bad), (e: unknown) => isRecorderError(e) && e.code === 'ENCRYPTION_KEY_INVALID', JSON.stringify(bad));
  }
  assert.is(keyId(KEY).length, 16);
  assert.is.not(keyId(KEY), keyId(OTHER_KEY));
  assert.not.ok('4f'.repeat(32).includes(keyId(KEY)));
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
