/**
 * A VoIP call from a phone recorded across a clock set by hand: the file
 * holds the call's audio and its length, not the hour the clock jumped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn } from '../support/api-client.ts';
import { PhoneClient } from '../support/phone-client.ts';
import { packetise, send, udpClient } from '../support/rtp-send.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { FACTORY_TIME } from '../../firmware/system/time-settings.ts';

let box: SimBox;

test.after(async () => {
  await box?.stop();
});

test('a phone call across a clock step forward keeps its length', async () => {
  box = await startSimBox({ sources: [] });
  const admin = await signIn(`http://127.0.0.1:${box.port}`);
  const rtpPortMin = 30000 + Math.floor(Math.random() * 30000);
  const on = await admin.json('/api/v1/voip/settings', { method: 'PATCH', body: { enabled: true, bindAddress: '127.0.0.1', phoneControlPort: 0, rtpPortMin, rtpPortMax: rtpPortMin + 200 } });
  assert.is(on.status, 200, JSON.stringify(on.body));
  let port = 0;
  for (let i = 0; i < 100 && !port; i++) {
    port = (await admin.json('/api/v1/voip/sessions')).body.phonePort ?? 0;
    if (!port) await box.run(20);
  }
  assert.ok(port, 'the phone record server listens');
  const phone = await PhoneClient.connect(port);
  const udp = await udpClient();
  try {
    const r = await phone.request({ cmd: 'RecordStartRequest', id: 'step1', device: '00:1A:2B:3C:4D:5E', remote_number: '13800138000', local_number: '8001', dir: 'in', codec: 'PCMA' });
    assert.is(r.result, 'success', JSON.stringify(r));
    const { steps } = packetise(speechLike(4, 9, -12), 'PCMA', 0x4321);
    for (const [i, step] of steps.entries()) {
      if (i === steps.length / 2) {
        const t = await admin.json('/api/v1/system/time', { method: 'PUT', body: { ...FACTORY_TIME, ntp: false, dateTime: box.clock.now() + 3_600_000 } });
        assert.is(t.status, 200, JSON.stringify(t.body));
      }
      for (const pkt of step) await send(udp, pkt, Number(r.port));
      await box.run(20);
    }
    await phone.request({ cmd: 'RecordStopRequest', id: 'step1', reason: 'hangup' });
    await box.run(500);
    let items: Array<{ durationS: number; remoteNumber: string }> = [];
    for (let i = 0; i < 50 && !items.length; i++) {
      items = (await admin.json('/api/v1/records?portType=voip&limit=10')).body.items ?? [];
      if (!items.length) await box.run(100);
    }
    assert.is(items.length, 1, JSON.stringify(items));
    assert.is(items[0]!.remoteNumber, '13800138000');
    assert.ok(items[0]!.durationS >= 3.5 && items[0]!.durationS <= 5, `lasted ${items[0]!.durationS} s, not the hour the clock jumped`);
  } finally {
    phone.close();
    udp.close();
  }
});

test.run();
