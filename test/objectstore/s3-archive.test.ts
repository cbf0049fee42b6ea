/**
 * The object-store archive against a real Ceph RADOS Gateway (test/support/ceph-rgw.ts),
 * with the whole recorder in one process: recordings arrive once with their
 * content, metadata and sidecar; wrong keys and a missing bucket raise their
 * alarms and keep everything queued and on the box; a gateway stopped in the
 * middle of the uploads and started again ends with every object there once;
 * local retention frees only verified, archived recordings, which then play
 * and download from the store.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { startCephGateway, type CephGateway } from '../support/ceph-rgw.ts';
import { BucketInspector } from '../support/s3-inspect.ts';
import { authedFetch } from '../support/api-client.ts';

const S = 8000;
let gw: CephGateway;
let bucket: BucketInspector;

test.before(async () => {
  try {
    gw = await startCephGateway();
    bucket = new BucketInspector(gw, 'recordings');
    await bucket.create();
  } catch (e) {
    console.error('the Ceph gateway did not start', e);
    throw e;
  }
});

test.after(async () => {
  bucket?.close();
  await gw?.stop();
});

/** An outgoing call: off-hook at `from` s, on-hook at `to` s. */
function call(from: number, to: number, seed: number) {
  const pcm = new Int16Array((to + 2) * S);
  pcm.set(speechLike(to - from, seed).subarray(0, pcm.length - from * S), from * S);
  return new TimelineSource([{ tMs: 0, state: 'onhook' }, { tMs: from * 1000, state: 'offhook' }, { tMs: to * 1000, state: 'onhook' }], pcm);
}

async function send(box: SimBox, method: string, p: string, body?: unknown) {
  const res = await authedFetch(`http://127.0.0.1:${box.port}/api/v1${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: (type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer())) as any };
}

function storeSettings(extra: object = {}) {
  return { enabled: true, endpoint: gw.endpoint, region: gw.region, bucket: 'recordings', accessKeyId: gw.accessKey, secretAccessKey: gw.secretKey, pathStyle: true, ...extra };
}

/** Runs the box (virtual time) until `check` holds, up to a real-time limit. */
async function until<T>(box: SimBox, what: string, check: () => Promise<T | null | false>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await box.run(200);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify((await send(box, 'GET', '/objectstore/status')).body)}`);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const alarmIds = async (box: SimBox) => ((await send(box, 'GET', '/alarms')).body.items as Array<{ id: string }>).map((a) => a.id);

test('recordings of the box arrive in the store once, with their content, metadata and sidecar', async () => {
  const box = await startSimBox({ sources: [call(1, 9, 1), call(2, 12, 2), call(3, 15, 3)], config: { recording: { minFileS: 1 } } });
  try {
    const set = await send(box, 'PATCH', '/objectstore/settings', { ...storeSettings(), prefix: 'site-a/' });
    assert.is(set.status, 200, JSON.stringify(set.body));
    assert.is(set.body.secretSet, true);
    assert.not.ok('secretAccessKey' in set.body, 'the secret is never returned');
    assert.not.ok(JSON.stringify((await send(box, 'GET', '/objectstore/settings')).body).includes(gw.secretKey));
    await box.run(20_000);
    const records = (await send(box, 'GET', '/records')).body.items as any[];
    assert.is(records.length, 3);
    const status = await until(box, 'three uploads', async () => {
      const s = (await send(box, 'GET', '/objectstore/status')).body;
      return s.uploaded === 3 && s.queueLength === 0 ? s : null;
    });
    assert.ok(status.throughputBps > 0);
    const keys = await bucket.keys();
    for (const r of records) {
      const detail = (await send(box, 'GET', `/records/${r.id}`)).body;
      const remote = detail.copies.find((c: any) => c.where === 'object-store');
      assert.is(remote.state, 'verified', JSON.stringify(detail.copies));
      assert.ok(detail.copies.some((c: any) => c.where === 'box'));
      const day = r.startTime ? new Date(r.startTime) : null;
      assert.ok(day);
      assert.match(remote.key, new RegExp(`^site-a/SIM-0000000001/\\d{4}/\\d{2}/\\d{2}/ch0${r.channel}/${r.id}\\.wav$`));
      assert.is(keys.filter((k) => k.key === remote.key).length, 1, 'each recording once');
      const local = fs.readFileSync(path.join(box.dataDir, r.file));
      assert.is(await bucket.sha256(remote.key), sha(local), 'the same bytes as on the box');
      const meta = await bucket.metadata(remote.key);
      assert.is(meta['record-id'], r.id);
      assert.is(meta.sha256, sha(local));
      const sidecar = JSON.parse((await bucket.bytes(remote.key.replace(/\.wav$/, '.json'))).toString());
      assert.is(sidecar.record.id, r.id);
      assert.is(sidecar.serial, 'SIM-0000000001');
    }
    assert.is(keys.length, 6, 'three recordings and three sidecars');
    const ops = (await send(box, 'GET', '/operations?item=object-store')).body;
    assert.ok(ops.items.some((o: any) => o.operation === 'set' && !JSON.stringify(o).includes(gw.secretKey)), JSON.stringify(ops.items));
  } catch (e) {
    console.error('FAILED', e);
    throw e;
  } finally {
    await box.stop();
  }
});

test('wrong keys and a missing bucket raise their alarms, keep everything queued and on the box, and the queue drains once fixed', async () => {
  const box = await startSimBox({ sources: [call(1, 6, 4), call(2, 7, 5)], config: { recording: { minFileS: 1 } } });
  try {
    assert.is((await send(box, 'PATCH', '/objectstore/settings', storeSettings({ secretAccessKey: 'not-the-secret', prefix: 'keys/' }))).status, 200);
    await box.run(10_000);
    await until(box, 'the credentials alarm', async () => (await alarmIds(box)).includes('objectstore-credentials'));
    // The first recording's refusal can raise the alarm before the second call has ended.
    await until(box, 'both recordings queued', async () => (await send(box, 'GET', '/objectstore/status')).body.queueLength === 2);
    let status = (await send(box, 'GET', '/objectstore/status')).body;
    assert.is(status.queueLength, 2);
    assert.ok(['retrying', 'uploading'].includes(status.state), status.state);
    assert.match(status.lastError, /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|403/);
    const check = (await send(box, 'POST', '/objectstore/check')).body;
    assert.is(check.ok, false);
    assert.is(check.failure, 'credentials');

    assert.is((await send(box, 'PATCH', '/objectstore/settings', { secretAccessKey: gw.secretKey, bucket: 'no-such-bucket' })).status, 200);
    await until(box, 'the bucket alarm', async () => (await alarmIds(box)).includes('objectstore-bucket'));
    assert.not.ok((await alarmIds(box)).includes('objectstore-credentials'), 'the keys are right now');
    const records = (await send(box, 'GET', '/records')).body.items as any[];
    for (const r of records) assert.ok(fs.existsSync(path.join(box.dataDir, r.file)), 'nothing lost on the box');
    const detail = (await send(box, 'GET', `/records/${records[0].id}`)).body;
    assert.equal(detail.copies.map((c: any) => c.where + (c.state ? `:${c.state}` : '')), ['box', 'object-store:queued']);

    assert.is((await send(box, 'PATCH', '/objectstore/settings', { bucket: 'recordings' })).status, 200);
    status = await until(box, 'the queue to drain', async () => {
      const s = (await send(box, 'GET', '/objectstore/status')).body;
      return s.queueLength === 0 && s.uploaded === 2 ? s : null;
    });
    const ids = await alarmIds(box);
    assert.not.ok(ids.some((id) => id.startsWith('objectstore-')), ids.join(' '));
    const keys = (await bucket.keys()).filter((k) => k.key.startsWith('keys/') && k.key.endsWith('.wav'));
    assert.is(keys.length, 2);
  } catch (e) {
    console.error('FAILED', e);
    throw e;
  } finally {
    await box.stop();
  }
});

test('a gateway stopped in the middle of the uploads and started again ends with every recording there once', async () => {
  const sources = Array.from({ length: 8 }, (_, ch) => call(1 + ch * 0.1, 5 + ch * 0.1, 10 + ch));
  const box = await startSimBox({ sources, config: { recording: { minFileS: 1 } } });
  try {
    assert.is((await send(box, 'PATCH', '/objectstore/settings', storeSettings({ prefix: 'outage/' }))).status, 200);
    await gw.stopGateway();
    await box.run(8_000);
    await until(box, 'uploads failing', async () => (await send(box, 'GET', '/objectstore/status')).body.state === 'retrying');
    await gw.startGateway();
    await until(box, 'the queue to drain', async () => {
      const s = (await send(box, 'GET', '/objectstore/status')).body;
      return s.queueLength === 0 && s.uploaded === 8 ? s : null;
    }, 120_000);
    const records = (await send(box, 'GET', '/records')).body.items as any[];
    assert.is(records.length, 8);
    const keys = (await bucket.keys()).filter((k) => k.key.startsWith('outage/'));
    for (const r of records) {
      const mine = keys.filter((k) => k.key.includes(`/${r.id}.`));
      assert.is(mine.length, 2, `${r.id}: the recording and its sidecar, once each`);
      const wav = mine.find((k) => k.key.endsWith('.wav'))!;
      assert.is(await bucket.sha256(wav.key), sha(fs.readFileSync(path.join(box.dataDir, r.file))));
    }
    assert.is(keys.length, 16);
    assert.equal(await bucket.openUploads(), []);
  } catch (e) {
    console.error('FAILED', e);
    throw e;
  } finally {
    await gw.startGateway().catch(() => undefined);
    await box.stop();
  }
});

test('local retention frees only verified, archived recordings, which then play and download from the store', async () => {
  const box = await startSimBox({ sources: [call(1, 6, 20), call(2, 7, 21), call(30, 36, 22)], config: { recording: { minFileS: 1 } } });
  try {
    assert.is((await send(box, 'PATCH', '/objectstore/settings', storeSettings({ prefix: 'retention/', keepLocalDays: 0 }))).status, 200);
    await box.run(10_000);
    await until(box, 'two uploads', async () => (await send(box, 'GET', '/objectstore/status')).body.uploaded === 2);
    // The third call is meant for a bucket that does not exist: it stays queued, unverified.
    assert.is((await send(box, 'PATCH', '/objectstore/settings', { bucket: 'not-there' })).status, 200);
    await box.run(30_000);
    const records = ((await send(box, 'GET', '/records')).body.items as any[]).sort((a, b) => a.channel - b.channel);
    assert.is(records.length, 3);
    const played = new Map<string, Buffer>();
    const downloaded = new Map<string, Buffer>();
    for (const r of records) {
      played.set(r.id, (await send(box, 'GET', `/records/${r.id}/play`)).body);
      downloaded.set(r.id, (await send(box, 'GET', `/records/${r.id}/download`)).body);
    }
    assert.is((await send(box, 'POST', '/storage/archive')).status, 200);
    const archived = ((await send(box, 'GET', '/records')).body.items as any[]).sort((a, b) => a.channel - b.channel);
    assert.ok(archived.every((r) => r.store === 'history'));
    const retention = (await send(box, 'POST', '/objectstore/retention')).body;
    assert.is(retention.freed, 2, JSON.stringify(retention));
    const [a, b, c] = archived;
    assert.not.ok(fs.existsSync(path.join(box.dataDir, a.file)), 'verified: freed');
    assert.not.ok(fs.existsSync(path.join(box.dataDir, b.file)), 'verified: freed');
    assert.ok(fs.existsSync(path.join(box.dataDir, c.file)), 'not in the store: kept');
    const detail = (await send(box, 'GET', `/records/${a.id}`)).body;
    assert.equal(detail.copies.map((x: any) => x.where), ['object-store']);
    for (const r of [a, b]) {
      const play = await send(box, 'GET', `/records/${r.id}/play`);
      assert.is(play.status, 200);
      assert.is(play.type, 'audio/wav');
      assert.ok(Buffer.compare(play.body, played.get(r.id)!) === 0, 'the same audio from the store');
      const dl = await send(box, 'GET', `/records/${r.id}/download`);
      assert.is(dl.status, 200);
      assert.ok(Buffer.compare(dl.body, downloaded.get(r.id)!) === 0, 'the same file from the store');
    }
    assert.is((await send(box, 'GET', `/records/${c.id}/play`)).status, 200);
  } catch (e) {
    console.error('FAILED', e);
    throw e;
  } finally {
    await box.stop();
  }
});

test('with uploads at archive time, a recording goes up only once the daily archive has moved it to history', async () => {
  const box = await startSimBox({ sources: [call(1, 6, 30)], config: { recording: { minFileS: 1 } } });
  try {
    assert.is((await send(box, 'PATCH', '/objectstore/settings', storeSettings({ prefix: 'archived/', uploadWhen: 'archived' }))).status, 200);
    await box.run(10_000);
    const status = (await send(box, 'GET', '/objectstore/status')).body;
    assert.is(status.queueLength, 0, 'nothing queued before the archive');
    assert.is(status.uploaded, 0);
    assert.is((await send(box, 'POST', '/storage/archive')).status, 200);
    await until(box, 'the archived recording uploaded', async () => (await send(box, 'GET', '/objectstore/status')).body.uploaded === 1);
    const [r] = (await send(box, 'GET', '/records')).body.items as any[];
    assert.is(r.store, 'history');
    const keys = (await bucket.keys()).filter((k) => k.key.startsWith('archived/'));
    assert.is(keys.length, 2);
    const wav = keys.find((k) => !k.key.endsWith('.json'))!;
    assert.is(await bucket.sha256(wav.key), sha(fs.readFileSync(path.join(box.dataDir, r.file))), 'the history file');
  } catch (e) {
    console.error('FAILED', e);
    throw e;
  } finally {
    await box.stop();
  }
});

test.run();
