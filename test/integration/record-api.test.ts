/**
 * The recording store through the HTTP API, with encryption at rest and an
 * MP3 archive: search conditions, signatures (on disk and uploaded), level,
 * delete/restore/purge, statistics, the daily archive and formatting.
 */
import { SYSTEM } from '../../firmware/app/principal.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { callerIdFsk, speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, T0 } from '../support/sim-box.ts';
import { dayLabel, localDay } from '../../firmware/recording/local-day.ts';
import { ADMIN_PASSWORD, authedFetch } from '../support/api-client.ts';

const S = 8000;
const KEY = 'a1'.repeat(32);

function incoming(ringAt: number, answerAt: number, hangAt: number, number: string) {
  const pcm = new Int16Array(60 * S);
  pcm.set(callerIdFsk({ number }).subarray(0, pcm.length - (ringAt + 1.5) * S), (ringAt + 1.5) * S);
  pcm.set(speechLike(hangAt - answerAt, 3).subarray(0, pcm.length - answerAt * S), answerAt * S);
  return new TimelineSource(
    [{ tMs: 0, state: 'onhook' }, { tMs: ringAt * 1000, state: 'ringing' }, { tMs: answerAt * 1000, state: 'offhook' }, { tMs: hangAt * 1000, state: 'onhook' }],
    pcm,
  );
}

const hms = (t: number) => {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

test('search, verify, level, delete, purge, stats, archive and format through the API', async () => {
  const box = await startSimBox({
    sources: [incoming(1, 7, 20, '13800138000'), incoming(2, 8, 25, '55881234'), incoming(3, 9, 30, '02188776655')],
    config: {
      recording: { minFileS: 1 },
      encryption: { enabled: true, key: KEY },
      storage: { archiveFormat: 'mp3', archiveTime: hms(T0 + 120_000) },
    },
  });
  const url = (p: string) => `http://127.0.0.1:${box.port}/api/v1${p}`;
  const call = async (method: string, p: string, body?: unknown, raw?: Buffer) => {
    const res = await authedFetch(url(p), {
      method,
      headers: raw ? { 'content-type': 'application/octet-stream' } : body ? { 'content-type': 'application/json' } : {},
      body: raw ?? (body ? JSON.stringify(body) : undefined),
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: (type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer())) as any };
  };
  try {
    await box.run(40_000);
    const all = (await box.api('/api/v1/records')).body;
    assert.is(all.total, 3, JSON.stringify(all));
    const [c3, c2, c1] = all.items;
    assert.equal([c1.remoteNumber, c2.remoteNumber, c3.remoteNumber], ['13800138000', '55881234', '02188776655']);

    // Search conditions.
    const q = async (s: string) => (await box.api(`/api/v1/records?${s}`)).body;
    assert.equal((await q('remoteNumber=5588%25')).items.map((r: any) => r.id), [c2.id]);
    assert.equal((await q('remoteNumber=%25776%25')).items.map((r: any) => r.id), [c3.id]);
    assert.is((await q(`from=${dayLabel(localDay(T0))}&to=${dayLabel(localDay(T0))}&callType=incoming-answered`)).total, 3);
    assert.is((await q('channel=1')).total, 1);
    assert.is((await q('lineNumber=8002')).items[0].id, c3.id);
    assert.is((await q('minDurationS=15')).total, 2);
    assert.is((await q('store=history')).total, 0);
    assert.equal([(await q('limit=2&page=2')).items.length, (await q('limit=2&page=2')).pages], [1, 2]);
    const bad = await box.api('/api/v1/records?channel=x');
    assert.is(bad.status, 400);
    assert.is(bad.body.error.code, 'BAD_REQUEST');
    assert.is((await box.api('/api/v1/records?colour=red')).status, 400, 'unknown conditions are refused');

    // Sealed on disk, plain when played; the signature is of what is downloaded.
    const rec = (await box.api(`/api/v1/records/${c1.id}`)).body;
    assert.ok(rec.sealed && rec.sha256);
    const onDisk = fs.readFileSync(path.join(box.dataDir, rec.file));
    assert.is(onDisk.subarray(0, 8).toString('latin1'), 'RDXSEAL1');
    const audio = await call('GET', `/records/${c1.id}/audio`);
    assert.is(audio.type, 'audio/wav');
    assert.is(audio.body.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.is(createHash('sha256').update(audio.body).digest('hex'), rec.sha256);
    const part = await authedFetch(url(`/records/${c1.id}/audio`), { headers: { range: 'bytes=100-199' } });
    assert.is(part.status, 206);
    assert.equal(Buffer.from(await part.arrayBuffer()), audio.body.subarray(100, 200));
    assert.equal((await call('GET', `/records/${c1.id}/verify`)).body.match, true);
    assert.equal((await call('POST', `/records/${c1.id}/verify`, undefined, audio.body)).body.match, true);
    const altered = Buffer.from(audio.body);
    altered[500]! ^= 1;
    assert.equal((await call('POST', `/records/${c1.id}/verify`, undefined, altered)).body.match, false);

    // Level, delete, restore, purge.
    assert.is((await call('PATCH', `/records/${c1.id}`, { level: 'important' })).body.level, 'important');
    assert.is((await q('level=important')).total, 1);
    assert.is((await call('PATCH', `/records/${c1.id}`, { level: 'urgent' })).status, 400);
    assert.is((await call('DELETE', `/records/${c2.id}`)).body.deleted, true);
    assert.is((await q('')).total, 2);
    assert.equal((await q('deleted=true')).items.map((r: any) => r.id), [c2.id]);
    await call('POST', `/records/${c2.id}/restore`);
    assert.is((await q('')).total, 3);
    await call('DELETE', `/records/${c3.id}`);
    assert.equal((await call('POST', '/records/purge-deleted')).body, { purged: 1 });
    assert.is((await call('GET', `/records/${c3.id}`)).status, 404);
    assert.not.ok(fs.existsSync(path.join(box.dataDir, c3.file)));

    // Statistics.
    const day = dayLabel(localDay(T0));
    const stats = (await box.api(`/api/v1/stats?from=${day}&to=${day}`)).body;
    assert.equal(stats.total.incoming, 2);
    assert.equal(stats.items.map((r: any) => r.channel), [0, 1]);
    assert.is((await box.api('/api/v1/stats?from=2026-02-30&to=2026-03-01')).status, 400);

    // The daily archive at its configured time: MP3, still sealed, still verifiable.
    const before = (await box.api('/api/v1/storage')).body;
    assert.is(before.archive.nextAt, new Date(T0 + 120_000).toISOString());
    await box.run(90_000);
    await box.services.storage.archiveNow(SYSTEM);
    const archived = (await q('store=history')).items;
    assert.is(archived.length, 2);
    for (const r of archived) {
      assert.is(r.codec, 'mp3');
      assert.ok(r.file.startsWith('history/') && r.file.endsWith('.mp3'));
      const mp3 = await call('GET', `/records/${r.id}/audio`);
      assert.is(mp3.type, 'audio/mpeg');
      assert.is(createHash('sha256').update(mp3.body).digest('hex'), r.sha256);
      assert.is((await call('GET', `/records/${r.id}/verify`)).body.match, true);
    }
    const storage = (await box.api('/api/v1/storage')).body;
    assert.ok(storage.disk.present && storage.disk.remainingHours > 0);
    assert.ok(Date.parse(storage.archive.nextAt) > T0 + 86_000_000, 'the next archive is tomorrow');

    // Format: everything goes, recording goes on.
    assert.is((await call('POST', '/device/format', { password: 'not-the-password' })).body.error.code, 'wrong_password');
    assert.equal((await call('POST', '/device/format', { password: ADMIN_PASSWORD })).body, { formatted: true });
    assert.is((await q('')).total, 0);
    assert.not.ok(fs.existsSync(path.join(box.dataDir, 'history')));
    assert.is((await box.api('/api/v1/health')).status, 200);
  } finally {
    await box.stop();
  }
});

test.run();
