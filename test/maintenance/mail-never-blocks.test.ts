/**
 * Sending never holds up recording: with the mail server accepting the
 * connection and then saying nothing, an alarm mail hangs on its way while
 * a call on channel 0 is recorded and indexed in full.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { startSimBox } from '../support/sim-box.ts';
import { signIn } from '../support/api-client.ts';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';

test('an alarm mail stuck on a silent server does not delay a call being recorded', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const call = new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: 1000, state: 'offhook' }, { tMs: 16_000, state: 'onhook' }], speechLike(18, 5));
  const box = await startSimBox({ sources: [call], faults: { crcErrorEvery: 40 }, maintenance: { mailGatherMs: 500 } });
  try {
    const api = await signIn(`http://127.0.0.1:${box.port}`);
    const set = await api.json('/api/v1/settings/mail', {
      method: 'PATCH',
      body: { enabled: true, server: '127.0.0.1', port, security: 'none', sender: 'box@example.com', recipients: ['ops@example.com'], alarmSeverity: 'minor' },
    });
    assert.is(set.status, 200, JSON.stringify(set.body));
    await box.run(20_000);
    const p = (await api.json('/api/v1/processing')).body;
    assert.ok(p.mail.alarmsNoted >= 1, 'the link-error alarm was noted for mailing');
    assert.is(p.mail.mailsSent + p.mail.mailsFailed, 0, 'its mail is still on its way');
    assert.ok(sockets.size >= 1, 'the mail server was reached and holds the mail');
    const records = (await api.json('/api/v1/records')).body.items;
    const call0 = records.find((r: any) => r.channel === 0);
    assert.ok(call0, 'the call was recorded and indexed');
    assert.ok(Math.abs(call0.durationS - 15) < 1, `${call0.durationS} s of a 15 s call`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    await box.stop();
  }
});

test.run();
