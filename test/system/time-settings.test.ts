/**
 * Time settings through the API on a simulated box: chrony's configuration
 * written and NTP started or stopped, the zone written, the date and time set
 * by hand only while NTP is off, and a recording in progress across a clock
 * step keeping its true start time and length.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { concat, dtmfDigits, silence, speechLike } from '../../firmware/sim/signals.ts';
import { FACTORY_TIME } from '../../firmware/system/time-settings.ts';
import { startScenarioBox } from '../support/scenario-box.ts';
import { T0, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';

let box: SimBox;
let admin: ApiClient;
const HOUR = 3_600_000;

test.before(async () => {
  box = await startScenarioBox(70, [
    {
      channel: 0,
      audio: [[1, concat(silence(300), dtmfDigits('13800000001'), silence(300), speechLike(25, 1))], [50, concat(silence(300), dtmfDigits('114'), speechLike(8, 2))]],
      timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 31, state: 'onhook' }, { t: 50, state: 'offhook' }, { t: 60, state: 'onhook' }],
    },
  ]);
  admin = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  await box?.stop();
});

test('the factory settings are in force at start: chrony configured and running, the zone written', async () => {
  const r = await admin.json('/api/v1/system/time');
  assert.is(r.status, 200);
  assert.is(r.body.primaryServer, '108.61.223.189');
  assert.is(r.body.zone, 'GMT+08:00');
  assert.is(r.body.utcOffsetMinutes, 480);
  assert.is(Date.parse(r.body.now), box.clock.now());
  assert.equal(r.body.ntpStatus.sources.map((s: { address: string }) => s.address), ['108.61.223.189', '193.228.143.12']);
  assert.ok(box.system.time.ntpRunning);
  assert.is(fs.readFileSync(path.join(box.root, 'etc/TZ'), 'utf8'), '<+0800>-08:00\n');
});

test('invalid time settings are refused and change nothing', async () => {
  const before = fs.readFileSync(path.join(box.root, 'etc/chrony.conf'), 'utf8');
  for (const [body, message] of [
    [{ ...FACTORY_TIME, zone: 'GMT+8' }, /zone/],
    [{ ...FACTORY_TIME, primaryPort: 70000 }, /primaryPort/],
    [{ ...FACTORY_TIME, primaryServer: 'ntp server!' }, /primaryServer/],
    [{ ...FACTORY_TIME, dateTime: '2026-11-20T10:00:00+08:00' }, /only while NTP is off/],
    [{ ...FACTORY_TIME, ntp: false, dateTime: '1990-01-01T00:00:00Z' }, /between 2000-01-01 and 2099-12-31/],
  ] as const) {
    const r = await admin.json('/api/v1/system/time', { method: 'PUT', body });
    assert.is(r.status, 400, JSON.stringify(body));
    assert.match(r.body.error.message, message);
  }
  assert.is(fs.readFileSync(path.join(box.root, 'etc/chrony.conf'), 'utf8'), before);
  assert.ok(box.system.time.ntpRunning);
  assert.equal(box.system.time.steps, []);
});

test('new servers, period and zone: chrony.conf rewritten and the zone changed', async () => {
  const r = await admin.json('/api/v1/system/time', {
    method: 'PUT', body: { ...FACTORY_TIME, primaryServer: 'ntp.example.cn', primaryPort: 1123, backupServer: '', syncPeriodS: 64, zone: 'GMT+05:30' },
  });
  assert.is(r.status, 200, JSON.stringify(r.body));
  const conf = fs.readFileSync(path.join(box.root, 'etc/chrony.conf'), 'utf8');
  assert.ok(conf.includes('server ntp.example.cn port 1123 iburst minpoll 6 maxpoll 6\n'), conf);
  assert.not.ok(conf.includes('193.228.143.12'));
  assert.is(fs.readFileSync(path.join(box.root, 'etc/TZ'), 'utf8'), '<+0530>-05:30\n');
  assert.is(r.body.utcOffsetMinutes, 330);
});

test('a recording in progress across a clock step keeps its start time and its length', async () => {
  await box.run(6000);
  const open = await admin.json('/api/v1/channels/0');
  assert.ok(open.body.recording, 'recording before the step');
  const startedAt = box.clock.now() - 5000;
  const r = await admin.json('/api/v1/system/time', { method: 'PUT', body: { ...FACTORY_TIME, ntp: false, dateTime: new Date(box.clock.now() + HOUR).toISOString() } });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.not.ok(box.system.time.ntpRunning, 'chrony stopped with NTP off');
  assert.is(box.system.time.steps.length, 1);
  assert.ok(Math.abs(Date.parse(r.body.now) - (T0 + HOUR + 6000)) < 1000, 'the clock moved an hour on');
  await box.run(60_000);
  const found = await admin.json('/api/v1/records?channel=0&limit=10');
  assert.is(found.status, 200, JSON.stringify(found.body));
  const records = found.body.items.sort((a: { startTime: string }, b: { startTime: string }) => a.startTime.localeCompare(b.startTime));
  assert.is(records.length, 2, JSON.stringify(records.map((x: object) => x)));
  const [first, second] = records;
  assert.ok(Math.abs(Date.parse(first.startTime) - startedAt) < 1500, `started ${first.startTime}, before the step`);
  assert.ok(Math.abs(first.durationS - 30) <= 1.5, `lasted ${first.durationS} s, the call's length`);
  assert.ok(Math.abs(Date.parse(second.startTime) - (T0 + HOUR + 50_000)) < 1500, `the next call starts in the new time: ${second.startTime}`);
});

test('the console-style clock set is refused while NTP is on', async () => {
  const back = await admin.json('/api/v1/system/time', { method: 'PUT', body: FACTORY_TIME });
  assert.is(back.status, 200, JSON.stringify(back.body));
  assert.ok(box.system.time.ntpRunning);
  const { SYSTEM } = await import('../../firmware/app/principal.ts');
  await box.services.time.setClock(SYSTEM, T0).then(
    () => assert.unreachable('refused'),
    (e: { code: string }) => assert.is(e.code, 'BAD_REQUEST'),
  );
});

test.run();
