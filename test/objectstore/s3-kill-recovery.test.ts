/**
 * The box SIGKILLed in the middle of a multipart upload to a real Ceph RADOS
 * Gateway: after the restart the persisted queue goes on (with the parts the
 * store confirms) and ends with every recording in the bucket once, its
 * content intact, and no multipart upload left open.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { getJson, killTree, startDaemonProcess, startSimulator, waitFor } from '../support/processes.ts';
import { startCephGateway, type CephGateway } from '../support/ceph-rgw.ts';
import { BucketInspector } from '../support/s3-inspect.ts';
import { tempDir } from '../support/temp-dir.ts';

const children: ChildProcess[] = [];
let gw: CephGateway | undefined;
let bucket: BucketInspector | undefined;

test.after(async () => {
  for (const c of children) killTree(c, 'SIGKILL');
  bucket?.close();
  await gw?.stop();
});

const stopped = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)));

test('a box killed during a multipart upload finishes its queue after the restart, every recording there once', async () => {
  gw = await startCephGateway();
  bucket = new BucketInspector(gw, 'killed');
  await bucket.create();
  const work = tempDir('s3-kill-');
  fs.writeFileSync(
    path.join(work, 'scenario.json'),
    JSON.stringify({
      board: 'sim',
      lines: [
        { channel: 0, timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 8, state: 'onhook' }] },
        { channel: 1, timeline: [{ t: 0, state: 'onhook' }, { t: 1.5, state: 'offhook' }, { t: 9, state: 'onhook' }] },
      ],
    }),
  );
  const config = path.join(work, 'var/config');
  fs.mkdirSync(config, { recursive: true });
  const settings = (secret: string) => JSON.stringify({
    enabled: true, endpoint: gw!.endpoint, region: gw!.region, bucket: 'killed', accessKeyId: gw!.accessKey, secretAccessKey: secret, pathStyle: true, multipartMiB: 5,
  });
  // First with a wrong key: both recordings wait in the queue.
  fs.writeFileSync(path.join(config, 'objectstore.json'), settings('wrong-secret'));
  const sim = startSimulator(work, ['--scenario', path.join(work, 'scenario.json')]);
  children.push(sim);
  await waitFor('the pseudo-terminal pair', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')));
  let daemon = await startDaemonProcess(work);
  children.push(daemon.child);
  await waitFor('two recordings queued', async () => ((await getJson(daemon.url('/api/v1/objectstore/status'))).queueLength === 2 ? true : null), 120_000);
  const records = (await getJson(daemon.url('/api/v1/records'))).items as Array<{ id: string; file: string }>;
  assert.is(records.length, 2);
  killTree(daemon.child, 'SIGTERM');
  await stopped(daemon.child);

  // One recording made large (150 MB: 30 parts), so the kill lands in the middle of its upload.
  const big = path.join(work, 'var/data', records[0]!.file);
  fs.writeFileSync(big, randomBytes(150 * 1024 * 1024));
  const bigSha = createHash('sha256').update(fs.readFileSync(big)).digest('hex');
  fs.writeFileSync(path.join(config, 'objectstore.json'), settings(gw.secretKey));
  daemon = await startDaemonProcess(work);
  children.push(daemon.child);
  const upload = await waitFor('a multipart upload with parts sent', async () => {
    for (const u of await bucket!.openUploads()) if ((await bucket!.partCount(u.key, u.uploadId)) >= 2) return u;
    return null;
  }, 60_000, 20);
  daemon.child.kill('SIGKILL');
  await stopped(daemon.child);
  assert.ok((await bucket.openUploads()).length >= 1 || (await bucket.keys()).length > 0, `cut short: ${upload.key}`);

  daemon = await startDaemonProcess(work);
  children.push(daemon.child);
  await waitFor('the queue to finish', async () => {
    const s = await getJson(daemon.url('/api/v1/objectstore/status'));
    return s.queueLength === 0 && s.state === 'idle' ? s : null;
  }, 120_000, 200);
  const keys = (await bucket.keys()).map((k) => k.key);
  for (const r of records) {
    assert.is(keys.filter((k) => k.endsWith(`/${r.id}.wav`)).length, 1, `${r.id} once`);
    assert.is(keys.filter((k) => k.endsWith(`/${r.id}.json`)).length, 1, `${r.id}'s sidecar once`);
  }
  assert.is(keys.length, 4);
  const bigKey = keys.find((k) => k.endsWith(`/${records[0]!.id}.wav`))!;
  assert.is(await bucket.sha256(bigKey), bigSha, 'the large file arrived intact');
  assert.equal(await bucket.openUploads(), [], 'no upload left open');
  const detail = await getJson(daemon.url(`/api/v1/records/${records[0]!.id}`));
  assert.is(detail.copies.find((c: any) => c.where === 'object-store').state, 'verified');
  killTree(daemon.child, 'SIGTERM');
  killTree(sim, 'SIGTERM');
  await stopped(daemon.child);
  fs.rmSync(work, { recursive: true, force: true });
});

test.run();
