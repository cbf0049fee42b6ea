/**
 * The device key and custody through the real daemon and its HTTP API: the
 * key made at first start in the configuration folder (0600, never on the
 * data disk), shown in device information and downloadable as PEM; each
 * recording's statement, and its checks (on disk, uploaded, chain); the box
 * checking its own chain; rotation with its hand-over, which the offline
 * verifier follows from the old key and from the new; a factory reset of the
 * settings keeps the key; a garbage key file is set aside and recording goes on.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { authedFetch } from '../support/api-client.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { DEVICE_KEY_FILE } from '../../firmware/custody/device-key.ts';
import { parsePublicKeyPem } from '../../firmware/custody/key-material.ts';
import { runVerifier, tmp } from './helpers.ts';

const S = 8000;
const KEY = 'c3'.repeat(32);

function call(answerAt: number, hangAt: number): TimelineSource {
  const pcm = new Int16Array(40 * S);
  pcm.set(speechLike(hangAt - answerAt, 3).subarray(0, pcm.length - answerAt * S), answerAt * S);
  return new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: answerAt * 1000, state: 'offhook' }, { tMs: hangAt * 1000, state: 'onhook' }], pcm);
}

const configOf = (dataDir: string) => path.join(dataDir, '..', `${path.basename(dataDir)}-config`);
const start = (dataDir: string) =>
  startSimBox({ sources: [call(1, 6), call(2, 8)], dataDir, config: { recording: { minFileS: 1 }, encryption: { enabled: true, key: KEY } } });

async function post(box: SimBox, pathname: string, body?: Buffer) {
  const res = await authedFetch(`http://127.0.0.1:${box.port}${pathname}`, { method: 'POST', body });
  return { status: res.status, body: (await res.json()) as any };
}

test('device key, statements, checks, rotation, factory reset and a garbage key file', async () => {
  const dataDir = path.join(tmp('custody-box'), 'data');
  fs.mkdirSync(dataDir);
  let box = await start(dataDir);
  await box.run(10_000);
  const configDir = configOf(dataDir);
  const keyFile = path.join(configDir, DEVICE_KEY_FILE);
  assert.is(fs.statSync(keyFile).mode & 0o777, 0o600);
  assert.not.ok(fs.readdirSync(dataDir, { recursive: true }).some((n) => String(n).includes('device-key')), 'no key on the data disk');

  const device = (await box.api('/api/v1/device')).body;
  const pem = (await box.api('/api/v1/device/public-key')).body.toString();
  const original = parsePublicKeyPem(pem);
  assert.is(device.custody.keyFingerprint.replaceAll(' ', ''), original.fingerprint);
  assert.match(device.custody.keyFingerprint, /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  const oldPem = path.join(tmp('keys'), 'old.pem');
  fs.writeFileSync(oldPem, pem);

  const { items } = (await box.api('/api/v1/records')).body;
  assert.is(items.length, 2);
  const id = items[0].id as string;
  const statement = (await box.api(`/api/v1/records/${id}/statement`)).body;
  assert.equal([statement.kind, statement.signedByDeviceKey, statement.entry.statement.sha256], ['recorded', true, items[0].sha256]);
  assert.is(statement.signature.length, 128);
  const verify = (await box.api(`/api/v1/records/${id}/verify`)).body;
  assert.ok(verify.match);
  assert.equal(verify.custody, {
    signed: true, seq: statement.seq, key: original.fingerprint, signature: statement.signature, signatureValid: true, keyTrusted: true, matchesStatement: true,
    chain: { inChain: true, offset: statement.chainOffset, linkedBefore: true, linkedAfter: verify.custody.chain.linkedAfter },
  });
  const audio = (await box.api(`/api/v1/records/${id}/audio`)).body as Buffer;
  const up = await post(box, `/api/v1/records/${id}/verify`, audio);
  assert.ok(up.body.match && up.body.custody.matchesStatement);
  audio[100] = audio[100]! ^ 0xff;
  const bad = await post(box, `/api/v1/records/${id}/verify`, audio);
  assert.equal([bad.body.match, bad.body.custody.matchesStatement, bad.body.custody.signatureValid], [false, false, true]);
  assert.is((await box.api('/api/v1/records/1763706000123-07-1/statement')).status, 404);

  // Rotation: the hand-over signed by the old key names the new one.
  const rotated = await post(box, '/api/v1/device/key/rotate');
  assert.is(rotated.status, 200);
  assert.equal([rotated.body.previous], [original.fingerprint]);
  const newPem = (await box.api('/api/v1/device/public-key')).body.toString();
  assert.is(parsePublicKeyPem(newPem).fingerprint, rotated.body.current);
  const chain = (await box.api('/api/v1/custody/chain/verify')).body;
  assert.ok(chain.ok, JSON.stringify(chain.problems));
  assert.equal(chain.keys.map((k: any) => [k.fingerprint, k.trusted]), [[original.fingerprint, true], [rotated.body.current, true]]);
  // An old statement still checks after the rotation.
  assert.ok((await box.api(`/api/v1/records/${items[1].id}/verify`)).body.custody.keyTrusted);
  await box.stop();

  // Offline, from either key; sealed recordings need the encryption key.
  const newKeyFile = path.join(tmp('keys'), 'new.pem');
  fs.writeFileSync(newKeyFile, newPem);
  for (const k of [oldPem, newKeyFile]) {
    const r = await runVerifier(['--public-key', k, '--encryption-key', KEY, '--json', dataDir]);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.lines.filter((l) => l.type === 'recording').map((l) => l.status), ['intact', 'intact']);
  }
  const sealed = await runVerifier(['--public-key', newKeyFile, '--json', dataDir]);
  assert.is(sealed.code, 3);
  assert.equal(sealed.lines.filter((l) => l.type === 'recording').map((l) => l.status), ['unverifiable', 'unverifiable']);

  // A factory reset of the settings keeps the key.
  fs.rmSync(path.join(configDir, 'settings.json'), { force: true });
  fs.rmSync(path.join(configDir, 'settings.last-good.json'), { force: true });
  fs.rmSync(path.join(configDir, 'recorder.json'), { force: true });
  box = await start(dataDir);
  assert.is((await box.api('/api/v1/device')).body.custody.keyFingerprint.replaceAll(' ', ''), rotated.body.current);
  assert.ok((await box.api('/api/v1/custody/chain/verify')).body.ok);
  await box.stop();

  // A garbage key file: set aside, a new key signs from now on, recording goes on.
  fs.writeFileSync(keyFile, 'garbage');
  box = await start(dataDir);
  const alarms = (await box.api('/api/v1/alarms')).body;
  assert.ok(JSON.stringify(alarms).includes('custody-damaged'), JSON.stringify(alarms));
  const replaced = (await box.api('/api/v1/device')).body.custody.keyFingerprint.replaceAll(' ', '');
  assert.is.not(replaced, rotated.body.current);
  assert.ok(fs.readdirSync(configDir).some((n) => n.startsWith(`${DEVICE_KEY_FILE}.damaged-`)));
  await box.run(10_000);
  // The simulated box starts its clock at the same moment: the same calls again, recorded and signed by the new key.
  const again = (await box.api('/api/v1/records')).body.items as Array<{ id: string }>;
  assert.is(again.length, 2);
  for (const r of again) assert.is((await box.api(`/api/v1/records/${r.id}/statement`)).body.key, replaced, 'recording went on');
  const after = (await box.api('/api/v1/custody/chain/verify')).body;
  // Entries before the replacement are not vouched for by the new key: one problem per earlier key.
  assert.equal(after.problems.map((p: any) => [p.kind, p.key]), [['foreign-key', original.fingerprint], ['foreign-key', rotated.body.current]]);
  await box.stop();
});

test.run();
