/**
 * An IP phone records its call on the real daemon through the record-server
 * protocol: start request, RTP with loss and reordering, stop request; the
 * recording's fields and audio match. Refusals (capacity, allow-list,
 * malformed) answer `failed` with a reason; a dropped connection ends its
 * sessions; no RTP port stays allocated.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { authedFetch } from '../support/api-client.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { PhoneClient } from '../support/phone-client.ts';
import { packetise, rtpPacket, send, udpClient } from '../support/rtp-send.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { locate } from '../support/audio-match.ts';

const MAC = '00:1A:2B:3C:4D:5E';

async function patchVoip(box: SimBox, body: object) {
  const res = await authedFetch(`http://127.0.0.1:${box.port}/api/v1/voip/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function voipBox(extra: object = {}) {
  const box = await startSimBox({ sources: [] });
  const rtpPortMin = 30000 + Math.floor(Math.random() * 30000);
  const r = await patchVoip(box, { enabled: true, phoneControlPort: 0, bindAddress: '127.0.0.1', rtpPortMin, rtpPortMax: rtpPortMin + 200, silenceTimeoutS: 5, ...extra });
  assert.is(r.status, 200, JSON.stringify(r.body));
  let port: number | null = null;
  for (let i = 0; i < 100 && !port; i++) {
    port = (await box.api('/api/v1/voip/sessions')).body.phonePort;
    if (!port) await new Promise((x) => setTimeout(x, 5));
  }
  assert.ok(port, 'phone record server listening');
  return { box, port: port! };
}

function start(id: string, over: Record<string, string> = {}) {
  return {
    cmd: 'RecordStartRequest', id, device: MAC, remote_number: '13800138000', remote_name: '张三', local_number: '8001', local_name: 'Front desk',
    dir: 'in', codec: 'PCMA', ...over,
  };
}

test('a phone records a call: fields and audio of the recording match what it sent', async () => {
  const { box, port } = await voipBox();
  const phone = await PhoneClient.connect(port);
  const r = await phone.request(start('a1b2c3'));
  assert.is(r.cmd, 'RecordStartResponse');
  assert.is(r.id, 'a1b2c3');
  assert.is(r.result, 'success', JSON.stringify(r));
  assert.is(r.server, '127.0.0.1');
  const rtpPort = Number(r.port);
  assert.ok(rtpPort > 0);
  const ref = decodeWav(fs.readFileSync('../shared/dsp-vectors/dtmf_over_speech.wav')).channels[0]!.subarray(0, 8000 * 6);
  const { steps, dropped } = packetise(ref, 'PCMA', 0xabc, { loss: 0.02, reorder: 0.08, seed: 9 });
  const udp = await udpClient();
  for (const step of steps) {
    for (const p of step) await send(udp, p, rtpPort);
    await new Promise((x) => setTimeout(x, 2));
    await box.run(20);
  }
  await box.run(300);
  const live = (await box.api('/api/v1/voip/sessions')).body;
  assert.is(live.active, 1);
  assert.is(live.items[0].streams[0].lost, dropped.size);
  const stop = await phone.request({ cmd: 'RecordStopRequest', id: 'a1b2c3', remote_number: '13800138000', reason: 'hangup' });
  assert.equal(stop, { cmd: 'RecordStopResponse', id: 'a1b2c3', result: 'success' });
  await box.run(100);
  const status = (await box.api('/api/v1/voip/sessions')).body;
  assert.is(status.active, 0);
  const ended = status.ended[0];
  assert.is(ended.endReason, 'hangup');
  const rec = (await box.api(`/api/v1/records/${ended.recordId}`)).body;
  assert.is(rec.portType, 'voip');
  assert.is(rec.remoteNumber, '13800138000');
  assert.is(rec.callerName, '张三');
  assert.is(rec.lineNumber, '8001');
  assert.is(rec.localName, 'Front desk');
  assert.is(rec.direction, 'incoming');
  assert.is(rec.stopMode, 'hangup');
  assert.is(rec.voip.source, 'phone');
  assert.is(rec.voip.device, ended.device, 'the phone\'s MAC address');
  assert.is(rec.voip.device, MAC.replace(/:/g, '').toLowerCase());
  assert.is(rec.voip.sessionId, 'a1b2c3', 'the phone\'s session id');
  assert.ok(rec.durationS >= 6, `duration ${rec.durationS}`);
  const audio = (await box.api(`/api/v1/records/${ended.recordId}/audio`)).body as Buffer;
  const got = decodeWav(audio).channels[0]!;
  // Stretches of the phone's audio are found in the recording, in order, at one offset.
  const first = locate(got, 8000, 1600, ref, 0, 24000);
  const later = locate(got, 32000, 1600, ref, 16000, 48000);
  assert.ok(first.correlation > 0.9 && later.correlation > 0.9, `${first.correlation} ${later.correlation}`);
  assert.is(later.offset - first.offset, 24000, 'no drift between the two stretches');
  udp.close();
  phone.close();
  await box.stop();
});

test('refusals: over capacity, a phone not allowed, malformed requests, an unknown id', async () => {
  const { box, port } = await voipBox({ allowedSenders: [MAC, '10.0.0.0/8'] });
  const phone = await PhoneClient.connect(port);
  const stranger = await phone.request(start('x1', { device: '00:00:00:00:00:01' }));
  assert.is(stranger.result, 'failed');
  assert.is(stranger.reason, 'phone not allowed');
  const bad = await phone.request(start('x2', { device: 'not-a-mac' }));
  assert.is(bad.result, 'failed');
  assert.match(bad.reason, /malformed/);
  phone.write('garbage without fields\r\n');
  const g = await phone.next();
  assert.match(g, /result=failed/);
  const unknown = await phone.request({ cmd: 'RecordStopRequest', id: 'nope', reason: 'x' });
  assert.is(unknown.result, 'failed');
  assert.is(unknown.reason, 'unknown id');
  phone.write(`cmd=RecordStartRequest&id=${'x'.repeat(5000)}\r\n`);
  const long = await phone.next();
  assert.match(long, /reason=message%20too%20long/, long);
  // Fill the licence (64 on this board), then one more is refused.
  const ids = Array.from({ length: 64 }, (_, i) => `c${i}`);
  for (const id of ids) assert.is((await phone.request(start(id))).result, 'success');
  const over = await phone.request(start('c64'));
  assert.is(over.result, 'failed');
  assert.is(over.reason, 'over licensed capacity');
  const alarms = (await box.api('/api/v1/alarms')).body;
  assert.ok(JSON.stringify(alarms).includes('voip-capacity-100'), 'capacity alarm raised');
  // Closing the connection ends all of its sessions and frees their ports.
  phone.close();
  for (let i = 0; i < 50 && (await box.api('/api/v1/voip/sessions')).body.active > 0; i++) await box.run(20);
  const status = (await box.api('/api/v1/voip/sessions')).body;
  assert.is(status.active, 0);
  assert.is(status.ended[0].endReason, 'disconnect');
  assert.is(box.daemon.services.voip.sessions().active.length, 0);
  await box.stop();
});

test('a phone\'s local recording file is imported as a recording; a damaged one is refused', async () => {
  const { box } = await voipBox();
  const speech = speechLike(3, 5);
  const head = Buffer.alloc(76);
  head.write('PCMA', 0, 'latin1');
  head.writeInt32LE(172, 64);
  head.writeInt32LE(160, 68);
  const packets = Buffer.concat(Array.from({ length: speech.length / 160 }, (_, k) => rtpPacket(8, k, 1000 + k * 160, 7, alawEncode(speech.subarray(k * 160, k * 160 + 160)))));
  head.writeUInt32LE(packets.length, 72);
  const url = `http://127.0.0.1:${box.port}/api/v1/voip/import?startedAt=2026-11-20T09:30:00%2B08:00&remoteNumber=13900139000&remoteName=${encodeURIComponent('李四')}&direction=out&device=001a2b3c4d5e`;
  const res = await authedFetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.concat([head, packets]) });
  const rec = (await res.json()) as any;
  assert.is(res.status, 201, JSON.stringify(rec));
  assert.is(rec.remoteNumber, '13900139000');
  assert.is(rec.callerName, '李四');
  assert.is(rec.direction, 'outgoing');
  assert.is(rec.durationS, 3);
  const audio = decodeWav((await box.api(`/api/v1/records/${rec.id}/audio`)).body as Buffer).channels[0]!;
  assert.ok(locate(audio, 4000, 8000, speech, 3990, 4010).correlation > 0.95);
  const bad = await authedFetch(url, { method: 'POST', body: Buffer.from('not a phone recording at all, too short or wrong codec name'.repeat(3)) });
  assert.is(bad.status, 422);
  assert.is(((await bad.json()) as any).error.code, 'VOIP_IMPORT_INVALID');
  await box.stop();
});

test.run();
