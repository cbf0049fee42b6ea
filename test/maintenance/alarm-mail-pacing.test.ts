/**
 * A flapping alarm does not flood inboxes: the line card lost and back every
 * 20 s for half an hour gives one mail at first and then one per minimum
 * interval, every flap counted in them; alarms below the chosen severity
 * are not mailed. Real SMTP server, virtual clock.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlarmList } from '../../firmware/alarms/alarm-list.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { AlarmMailer } from '../../firmware/mail/alarm-mailer.ts';
import { RecipientStatusBook } from '../../firmware/mail/recipient-status.ts';
import { sendToEach } from '../../firmware/mail/smtp-sender.ts';
import { mailSettingsSchema } from '../../firmware/settings/mail-settings.ts';
import { AlarmDigest, sendAt } from '../../firmware/mail/alarm-digest.ts';
import { startSmtpSink } from '../support/smtp-sink.ts';

const quiet = { info: () => undefined, warn: () => undefined };

test('the digest counts every flap of an alarm in one entry, worst alarms first', () => {
  const d = new AlarmDigest();
  for (let i = 0; i < 5; i++) {
    d.add({ kind: 'raised', id: 'linecard-down', severity: 'critical', area: 'device', message: 'line card not answering', at: i * 1000 });
    d.add({ kind: 'cleared', id: 'linecard-down', severity: 'critical', area: 'device', message: 'line card not answering', at: i * 1000 + 500 });
  }
  d.add({ kind: 'raised', id: 'disk-reserve', severity: 'minor', area: 'disk', message: 'below the reserve', at: 100 });
  const out = d.take()!;
  assert.equal(out.entries.map((e) => [e.id, e.raised, e.cleared, e.active]), [['linecard-down', 5, 5, false], ['disk-reserve', 1, 0, true]]);
  assert.ok(d.empty);
  assert.is(sendAt({ pendingSince: 1000, lastSentAt: null, gatherMs: 10_000, intervalMs: 600_000 }), 11_000);
  assert.is(sendAt({ pendingSince: 1000, lastSentAt: 0, gatherMs: 10_000, intervalMs: 600_000 }), 600_000);
});

test('half an hour of a flapping line card is a handful of mails that count every flap', async () => {
  const sink = await startSmtpSink({ security: 'none' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-pacing-'));
  const clock = new VirtualClock(Date.parse('2026-11-20T09:00:00+08:00'));
  const alarms = new AlarmList(quiet, { now: () => clock.now() });
  const settings = mailSettingsSchema.parse({
    enabled: true, server: '127.0.0.1', port: sink.port, security: 'none', sender: 'box@example.com', recipients: ['ops@example.com'], alarmSeverity: 'major', minIntervalMinutes: 10,
  });
  const statuses = await RecipientStatusBook.open(dir, () => undefined);
  const mailer = new AlarmMailer({
    alarms, clock, settings: () => settings, statuses, box: () => ({ model: 'rds', serial: 'SN1' }), log: quiet,
    send: (s, m) => sendToEach(s, s.recipients, m, { timeoutMs: 5000 }),
  });
  mailer.start();
  // Virtual time stands still while a mail is on its way (a send takes real time).
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(1000);
      await new Promise((r) => setImmediate(r));
      await mailer.idle();
    }
  };
  try {
    const FLAPS = 90;
    for (let i = 0; i < FLAPS; i++) {
      alarms.raise('linecard-down', 'critical', 'device', 'line card not answering: no reply', clock.now());
      alarms.raise('disk-reserve', 'minor', 'disk', 'below the reserve', clock.now());
      await advance(10_000);
      alarms.clear('linecard-down');
      alarms.clear('disk-reserve');
      await advance(10_000);
    }
    await advance(11 * 60_000);
    const mails = await sink.waitFor(4);
    // At 0:10 (the first raise), then 10:10, 20:10 and 30:10: one per interval.
    assert.is(sink.mails.length, 4, `${sink.mails.length} mails for ${FLAPS} flaps in 30 minutes`);
    let raised = 0;
    for (const m of mails) {
      assert.not.match(m.text, 'disk-reserve', 'minor alarms are below the chosen severity');
      const counted = /产生 raised (\d+)×/.exec(m.text);
      raised += counted ? Number(counted[1]) : 1;
    }
    assert.is(raised, FLAPS, 'every flap is in a mail');
    assert.ok(mails.slice(1).some((m) => /产生 raised \d+×, 清除 cleared \d+×/.test(m.text)), 'flaps are counted in one line');
    assert.is(mailer.stats.noted, FLAPS * 2);
    assert.is(statuses.of('ops@example.com')?.ok, true);
  } finally {
    await mailer.stop();
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
