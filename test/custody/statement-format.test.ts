/**
 * The formats docs/custody.md gives third parties: the canonical encoding,
 * the example chain (RFC 8032's first test key) verifying as documented, and
 * the documented bytes being the example file's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '../../firmware/custody/canonical.ts';
import { verifyChain } from '../../firmware/custody/chain-verify.ts';
import { parsePublicKeyPem, publicKeyFromRaw } from '../../firmware/custody/key-material.ts';
import { hashLine, parseEntry } from '../../firmware/custody/statement.ts';
import { verifyRecordings } from '../../firmware/custody/verify-recordings.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLE = path.join(ROOT, 'docs/examples/custody');

test('canonical JSON: sorted keys at every level, no whitespace, integers only', () => {
  assert.is(canonicalJson({ b: 1, a: { d: 'é"\n', c: null }, A: true }), '{"A":true,"a":{"c":null,"d":"é\\"\\n"},"b":1}');
  assert.throws(() => canonicalJson({ a: 1.5 }), /integers only/);
  assert.throws(() => canonicalJson({ a: [1] as never }), /objects, strings/);
});

test('the documented example chain verifies with the documented key, byte for byte', async () => {
  const pem = fs.readFileSync(path.join(EXAMPLE, 'device-public.pem'), 'utf8');
  const key = parsePublicKeyPem(pem);
  assert.is(key.raw.toString('hex'), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'RFC 8032 test 1 public key');
  assert.is(publicKeyFromRaw(key.raw).fingerprint, key.fingerprint);
  const { report } = await verifyChain(path.join(EXAMPLE, 'custody/chain.log'), [key]);
  assert.ok(report.ok, JSON.stringify(report.problems));
  assert.is(report.entries, 2);
  const doc = fs.readFileSync(path.join(ROOT, 'docs/custody.md'), 'utf8');
  const lines = fs.readFileSync(path.join(EXAMPLE, 'custody/chain.log'), 'utf8').split('\n').filter(Boolean);
  for (const l of lines) {
    assert.ok(doc.includes(l), 'the documented line is the example file\'s');
    assert.ok(doc.includes(hashLine(l)), 'its hash is documented');
  }
  const p = parseEntry(lines[1]!);
  assert.ok(p.ok && p.entry.prev === hashLine(lines[0]!));
  // One byte changed is not canonical any more, or fails its signature.
  const edited = lines[1]!.replace('"durationMs":7000', '"durationMs":7001');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custody-format-'));
  try {
    fs.writeFileSync(path.join(dir, 'chain.log'), `${lines[0]}\n${edited}\n`);
    const r = await verifyChain(path.join(dir, 'chain.log'), [key]);
    assert.equal(r.report.problems.map((x) => [x.kind, x.seq, x.reason]), [['forged', 1, 'bad signature']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an export of files and downloaded statements verifies without the chain', async () => {
  const pem = fs.readFileSync(path.join(EXAMPLE, 'device-public.pem'), 'utf8');
  const [, line] = fs.readFileSync(path.join(EXAMPLE, 'custody/chain.log'), 'utf8').split('\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custody-export-'));
  try {
    // As downloaded: the audio under its own name, the statement from GET /api/v1/records/:id/statement.
    fs.writeFileSync(path.join(dir, '1763607600123-07-1.wav'), 'an example recording');
    fs.writeFileSync(path.join(dir, '1763607600123-07-1.statement.json'), JSON.stringify({ id: '1763607600123-07-1', line }));
    const anchors = [parsePublicKeyPem(pem)];
    let r = await verifyRecordings({ dataDir: dir, anchors, chainFile: null });
    assert.equal(r.recordings.map((x) => [x.id, x.status]), [['1763607600123-07-1', 'intact']]);
    assert.not.ok(r.tampered);
    fs.writeFileSync(path.join(dir, '1763607600123-07-1.wav'), 'an example recordinG');
    r = await verifyRecordings({ dataDir: dir, anchors, chainFile: null });
    assert.equal(r.recordings.map((x) => x.status), ['altered']);
    assert.ok(r.tampered);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
