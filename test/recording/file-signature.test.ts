import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRecorderError } from '../../firmware/errors.ts';
import { signatureOf, signatureOfBuffer, verifyFile } from '../../firmware/recording/file-signature.ts';
import { SEAL_HEADER_BYTES, parseKey, sealFile } from '../../firmware/recording/sealed-file.ts';

const KEY = parseKey('5e'.repeat(32));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sig-'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function plainAndSealed(plain: Buffer, name: string): Promise<[string, string]> {
  const p = path.join(dir, `${name}.wav`);
  const s = path.join(dir, `${name}.sealed.wav`);
  fs.writeFileSync(p, plain);
  await sealFile(p, s, KEY);
  return [p, s];
}

for (const size of [0, 1, 65536, 65537, 1_000_003]) {
  test(`the signature of a ${size}-byte recording is the SHA-256 of its plaintext, plain or sealed`, async () => {
    const plain = randomBytes(size);
    const [p, s] = await plainAndSealed(plain, `r${size}`);
    const expected = sha256(plain);
    assert.is(await signatureOf(p, null), expected);
    assert.is(await signatureOf(s, KEY), expected);
    assert.is(await signatureOfBuffer(plain), expected);
    assert.is.not(sha256(fs.readFileSync(s)), expected, 'not the hash of the bytes on disk');
  });
}

test('sealing reports the same signature as reading back', async () => {
  const plain = randomBytes(300_000);
  const p = path.join(dir, 'direct.wav');
  fs.writeFileSync(p, plain);
  const result = await sealFile(p, path.join(dir, 'direct.sealed.wav'), KEY);
  assert.is(result.sha256, sha256(plain));
});

test('verifyFile accepts the right signature in any case and rejects another', async () => {
  const plain = randomBytes(150_000);
  const [p, s] = await plainAndSealed(plain, 'verify');
  const good = sha256(plain);
  assert.ok(await verifyFile(p, good, null));
  assert.ok(await verifyFile(s, good.toUpperCase(), KEY));
  const bad = sha256(Buffer.concat([plain, Buffer.from([0])]));
  assert.not.ok(await verifyFile(p, bad, null));
  assert.not.ok(await verifyFile(s, bad, KEY));
  try {
    await verifyFile(p, 'abc', null);
    assert.unreachable('malformed signature accepted');
  } catch (e) {
    assert.ok(isRecorderError(e) && e.code === 'BAD_REQUEST');
  }
});

test('a changed plain file no longer verifies; a tampered sealed file fails rather than verifying', async () => {
  const plain = randomBytes(200_000);
  const [p, s] = await plainAndSealed(plain, 'tamper');
  const good = sha256(plain);
  const changed = Buffer.from(plain);
  changed[123_456]! ^= 0x10;
  fs.writeFileSync(p, changed);
  assert.not.ok(await verifyFile(p, good, null));
  const bytes = fs.readFileSync(s);
  bytes[SEAL_HEADER_BYTES + 5]! ^= 0x10;
  fs.writeFileSync(s, bytes);
  try {
    await verifyFile(s, good, KEY);
    assert.unreachable('tampered sealed file verified');
  } catch (e) {
    assert.ok(isRecorderError(e) && e.code === 'SEALED_FILE_DAMAGED', String(e));
  }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
