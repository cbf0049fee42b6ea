/**
 * A day of calls recorded through the real recorder with custody on; then,
 * on a copy of the data folder, a byte flipped in one WAV, one file and its
 * index entry removed behind the box's back, one chain entry edited, and one
 * recording deleted properly through the service: the verifier script
 * reports exactly those, and nothing else, and exits 1. The untouched data
 * verifies clean (exit 0); a wrong key, a garbage key file, a chain cut
 * short and a missing chain are reported precisely.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { userPrincipal } from '../../firmware/app/principal.ts';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { generateSigningKey, publicKeyPem } from '../../firmware/custody/key-material.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { custodyFixture, runVerifier, tmp, type CustodyFixture } from './helpers.ts';

const ADMIN = userPrincipal('admin', '10.0.0.9');
const DAY = Date.parse('2026-11-20T00:00:00+08:00');

let f: CustodyFixture;
let day: RecordEntry[] = [];
let deletedProperly: RecordEntry;

test.before(async () => {
  f = await custodyFixture();
  // 24 calls over the day on four lines, one every hour.
  for (let h = 0; h < 24; h++) day.push(await f.record(h % 4, DAY + h * 3_600_000 + 17_000, 2 + (h % 3), `1380000${String(h).padStart(4, '0')}`));
  deletedProperly = day[5]!;
  await f.records.remove(ADMIN, deletedProperly.id);
  await f.records.purgeDeleted(ADMIN);
  await f.box.ledger.idle();
});

test.after(async () => {
  await f.close();
});

const byId = (lines: Array<Record<string, any>>) => new Map(lines.filter((l) => l.type === 'recording').map((l) => [l.id, l]));

test('every finished recording has a signed statement in its sidecar and the chain, and the box finds them', async () => {
  assert.is(f.alarms.length, 0);
  for (const e of day.slice(0, 3)) {
    const s = await f.custody.statementOf(e.id);
    assert.ok(s, e.id);
    assert.is(s.entry.statement.kind, 'recorded');
    const st = s.entry.statement as { sha256: string; ref: object; serial: string; sizeBytes: number };
    assert.is(st.sha256, e.sha256);
    assert.equal(st.ref, { portType: 'analog', port: 0, channel: e.channel });
    assert.is(st.serial, 'RDS-TEST-0001');
    assert.is(st.sizeBytes, e.sizeBytes);
    const v = await f.records.verify(e.id);
    assert.ok(v.match);
    assert.equal(v.custody && v.custody.signed && [v.custody.signatureValid, v.custody.keyTrusted, v.custody.matchesStatement, v.custody.chain.inChain, v.custody.chain.linkedBefore], [true, true, true, true, true]);
  }
  const chain = await f.custody.verifyChain();
  assert.ok(chain.ok, JSON.stringify(chain.problems));
  // chain-started, 24 recorded, deleted, purged
  assert.is(chain.entries, 27);
});

test('the untouched data folder verifies: intact, and the proper deletion explained with who and when', async () => {
  const r = await runVerifier(['--public-key', f.publicKeyFile(), '--json', f.dataDir]);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const recs = byId(r.lines);
  assert.is(recs.size, 24);
  const explained = recs.get(deletedProperly.id)!;
  assert.is(explained.status, 'explained');
  assert.is(explained.event.kind, 'purged');
  assert.is(explained.event.by, 'admin@10.0.0.9');
  assert.equal([...recs.values()].filter((x) => x.status !== 'intact').map((x) => x.id), [deletedProperly.id]);
  assert.is(r.lines.filter((l) => l.type === 'chain').length, 0);
});

test('on a tampered copy the verifier reports exactly the altered, missing, forged and explained ones', async () => {
  const copy = path.join(tmp('copy'), 'data');
  fs.cpSync(f.dataDir, copy, { recursive: true });
  const altered = day[2]!;
  const removed = day[9]!;
  const edited = day[14]!;
  // A byte flipped in the audio of one WAV.
  const wav = path.join(copy, altered.file!);
  const bytes = fs.readFileSync(wav);
  bytes[200] = bytes[200]! ^ 0x01;
  fs.writeFileSync(wav, bytes);
  // One file and its index entry removed behind the box's back.
  fs.rmSync(path.join(copy, removed.file!));
  const index = new RecordIndex(path.join(copy, 'index'));
  await index.open();
  await index.beginPurge([removed]);
  await index.finishPurge([removed.id]);
  await index.close();
  // One chain entry edited: the remote number of a recording's statement.
  const chainFile = path.join(copy, 'custody', 'chain.log');
  const lines = fs.readFileSync(chainFile, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(`"id":"${edited.id}"`));
  const seq = JSON.parse(lines[at]!).seq as number;
  lines[at] = lines[at]!.replace(edited.remoteNumber, '13912345678'.slice(0, edited.remoteNumber.length));
  fs.writeFileSync(chainFile, lines.join('\n'));

  const r = await runVerifier(['--public-key', f.publicKeyFile(), '--json', copy]);
  assert.is(r.code, 1, r.stderr);
  const recs = byId(r.lines);
  const notIntact = [...recs.values()].filter((x) => x.status !== 'intact').map((x) => [x.id, x.status]).sort();
  assert.equal(notIntact, [[altered.id, 'altered'], [deletedProperly.id, 'explained'], [removed.id, 'missing']].sort());
  const chain = r.lines.filter((l) => l.type === 'chain');
  assert.equal(chain.map((c) => [c.kind, c.seq]), [['forged', seq]]);
  assert.match(chain[0]!.reason, /bad signature/);
  const summary = r.lines.at(-1)!;
  assert.equal(summary.counts, { intact: 21, altered: 1, missing: 1, explained: 1, unverifiable: 0, unsigned: 0 });
  assert.ok(summary.tampered);
  // The human summary says the same.
  const text = await runVerifier(['--public-key', f.publicKeyFile(), copy]);
  assert.is(text.code, 1);
  assert.match(text.stdout, /RESULT: TAMPERING FOUND/);
  assert.match(text.stdout, new RegExp(`missing\\s+${removed.id}`));
});

test('a chain cut short, a missing chain, a foreign key and a garbage key file are reported precisely', async () => {
  const copy = path.join(tmp('copy'), 'data');
  fs.cpSync(f.dataDir, copy, { recursive: true });
  const chainFile = path.join(copy, 'custody', 'chain.log');
  const lines = fs.readFileSync(chainFile, 'utf8').split('\n').filter(Boolean);
  // The last three entries removed (two of them statements also kept in sidecars), and a torn half entry.
  const cut = lines.slice(0, -6);
  fs.writeFileSync(chainFile, `${cut.join('\n')}\n${lines.at(-6)!.slice(0, 40)}`);
  let r = await runVerifier(['--public-key', f.publicKeyFile(), '--json', copy]);
  assert.is(r.code, 1);
  const kinds = r.lines.filter((l) => l.type === 'chain').map((c) => c.kind);
  assert.equal(kinds, ['truncated', 'truncated']);
  assert.ok(r.lines.filter((l) => l.type === 'recording').every((x) => x.status === 'intact' || x.status === 'explained' || x.id === deletedProperly.id));

  fs.rmSync(chainFile);
  r = await runVerifier(['--public-key', f.publicKeyFile(), '--json', copy]);
  assert.is(r.code, 1);
  assert.match(r.lines.find((l) => l.type === 'chain')!.reason, /missing/);
  // Each recording still checks against the statement kept in its sidecar.
  assert.is(r.lines.filter((l) => l.type === 'recording' && l.status === 'intact').length, 23);

  const other = path.join(tmp('key'), 'other.pem');
  fs.writeFileSync(other, publicKeyPem(generateSigningKey()));
  r = await runVerifier(['--public-key', other, '--json', f.dataDir]);
  assert.is(r.code, 1);
  const foreign = r.lines.filter((l) => l.type === 'chain');
  assert.equal(foreign.map((c) => [c.kind, c.seq, c.key]), [['foreign-key', 0, f.box.key().fingerprint]]);

  const garbage = path.join(tmp('key'), 'garbage.pem');
  fs.writeFileSync(garbage, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
  r = await runVerifier(['--public-key', garbage, f.dataDir]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /garbage\.pem: not a PEM public key/);
  r = await runVerifier([f.dataDir]);
  assert.is(r.code, 2);
  r = await runVerifier(['--public-key', f.publicKeyFile(), path.join(f.dataDir, 'nowhere')]);
  assert.is(r.code, 2);
});

test.run();
