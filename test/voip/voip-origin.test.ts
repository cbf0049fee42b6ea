/**
 * A VoIP recording keeps its source's identity of the call: the SIP Call-ID,
 * the SIPREC session ids and participants, the phone's MAC and session id;
 * metadata arriving later replaces it, and the index finds the recording by
 * its SIP Call-ID.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { EventBus } from '../../firmware/events/event-bus.ts';
import { AudioTap } from '../../firmware/events/audio-tap.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { VoipMediaServer, type MediaSettings } from '../../firmware/voip/media/voip-media.ts';
import { originOf } from '../../firmware/voip/media/media-call.ts';
import { rtpPacket, send, udpClient } from '../support/rtp-send.ts';
import { tempDir } from '../support/temp-dir.ts';

const quiet = { info() {}, warn() {}, error() {} };
const AT = Date.parse('2026-11-20T10:00:00+08:00');
const SIP_CALL_ID = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.4';
const siprecMeta = { 'sip.callId': SIP_CALL_ID, 'siprec.src': '192.0.2.4:5060/udp', 'siprec.sessionId': 'k4hP7DlJW1WwWpZjb9BNBg==', 'siprec.sipSessionId': 'cs-1' };

test('originOf: SIPREC metadata and a phone call', () => {
  assert.equal(originOf({ source: 'siprec', callId: SIP_CALL_ID, device: '192.0.2.4:5060/udp', metadata: siprecMeta, participants: [{ aor: 'sip:alice@example.com', name: 'Alice', role: 'leg0' }, {}] }), {
    source: 'siprec', sipCallId: SIP_CALL_ID, sessionId: 'k4hP7DlJW1WwWpZjb9BNBg==', sipSessionIds: 'cs-1', device: '192.0.2.4:5060/udp',
    participants: [{ aor: 'sip:alice@example.com', name: 'Alice', role: 'leg0' }, { aor: '', name: '', role: '' }],
  });
  assert.equal(originOf({ source: 'phone', callId: '00:1a:2b:3c:4d:5e/a1b2', device: '00:1a:2b:3c:4d:5e' }), {
    source: 'phone', sipCallId: '', sessionId: 'a1b2', sipSessionIds: '', device: '00:1a:2b:3c:4d:5e', participants: [],
  });
});

test('a SIPREC call\'s recording keeps its identity, takes later metadata and is found by its SIP Call-ID', async () => {
  const data = tempDir('voip-origin-');
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const recorder = new Recorder(data, index, 'pcm16', new FileFinisher(data, null), quiet);
  const clock = new VirtualClock(AT);
  const min = 41000 + Math.floor(Math.random() * 20000);
  const settings: MediaSettings = { rtpPorts: { min, max: min + 10 }, jitterMs: 60, silenceTimeoutS: 10, layout: 'stereo' };
  const server = new VoipMediaServer({ recorder, events: new EventBus(), tap: new AudioTap(), clock, log: quiet, capacity: 2, settings: () => settings });
  server.start();
  const call = server.open({ source: 'siprec', callId: SIP_CALL_ID, direction: 'unknown', device: '192.0.2.4:5060/udp', metadata: { 'sip.callId': SIP_CALL_ID }, at: AT });
  const { port } = await call.addStream({ label: '1', leg: 'mixed', codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
  const udp = await udpClient();
  for (let i = 0; i < 100; i++) {
    await send(udp, rtpPacket(8, i, i * 160, 7, Buffer.alloc(160, 0xd5)), port);
    await new Promise((r) => setTimeout(r, 2));
    await clock.runFor(20, 20);
  }
  // Metadata sent in a re-INVITE or UPDATE.
  call.update({ metadata: siprecMeta, participants: [{ aor: 'sip:+8613912345678@carrier.example.net', name: 'Bob', role: 'mixed' }] });
  await clock.runFor(200, 20);
  await call.close('hangup');
  await recorder.drain();
  const rec = await index.get(call.stats().recordId!);
  assert.equal(rec?.voip, originOf({ ...call.start }));
  assert.is(rec?.voip?.sessionId, 'k4hP7DlJW1WwWpZjb9BNBg==');
  assert.is(rec?.voip?.participants[0]?.aor, 'sip:+8613912345678@carrier.example.net');
  const byCallId = await queryRecords(index, { callId: SIP_CALL_ID, limit: 10, offset: 0 });
  assert.equal(byCallId.items.map((e) => e.id), [rec!.id]);
  assert.is(byCallId.total, 1);
  assert.is((await queryRecords(index, { callId: `siprec:${SIP_CALL_ID}`, limit: 10, offset: 0 })).total, 1);
  assert.is((await queryRecords(index, { callId: 'other@192.0.2.4', limit: 10, offset: 0 })).total, 0);
  udp.close();
  await server.stop();
  await index.close();
  fs.rmSync(data, { recursive: true, force: true });
});

test.run();
