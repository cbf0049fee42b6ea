/** Where a recording goes in the bucket, what its metadata says, and how store failures are told apart. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectKeyOf, objectMetadata } from '../../firmware/objectstore/object-keys.ts';
import { failureOf } from '../../firmware/objectstore/s3-client.ts';
import { viewOf, DEFAULT_OBJECT_STORE_SETTINGS, missingForUse } from '../../firmware/objectstore/object-store-settings.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { recordingFile } from '../../firmware/recording/recording-paths.ts';

const AT = Date.parse('2026-11-20T09:00:00+08:00');

function entry(ref = analogRef(7), file?: string): RecordEntry {
  const id = recordId(AT, ref, 1);
  return withEntryDefaults({
    id, callId: id, part: 1, ...ref, lineNumber: '8001', remoteNumber: '13800138000', callerName: '', callType: 'outgoing', startedAt: AT, durationMs: 5000,
    startMode: 'voltage', stopMode: 'hangup', level: 'normal', file: file ?? recordingFile(AT, ref, id), sizeBytes: 40000, codec: 'alaw', archived: false, sealed: false,
    sha256: 'ab'.repeat(32), deleted: false,
  });
}

test('keys go by serial, local day and channel, the sidecar beside the file', () => {
  const e = entry();
  const { key, sidecarKey } = objectKeyOf('site-a/', 'RDS 0001', e);
  const day = new Date(AT);
  const ymd = `${day.getFullYear()}/${String(day.getMonth() + 1).padStart(2, '0')}/${String(day.getDate()).padStart(2, '0')}`;
  assert.is(key, `site-a/RDS_0001/${ymd}/ch07/${e.id}.wav`);
  assert.is(sidecarKey, `site-a/RDS_0001/${ymd}/ch07/${e.id}.json`);
  const e1 = entry({ portType: 'e1', port: 1, channel: 16 });
  assert.match(objectKeyOf('', 'S', e1).key, /\/e1-1-ts16\//);
  const mp3 = entry(analogRef(7), 'history/2026/11/20/ch07/x.mp3');
  assert.match(objectKeyOf('', 'S', mp3).key, /\.mp3$/);
});

test('metadata is ASCII: names and numbers percent-encoded, the uploaded SHA-256 and the signature', () => {
  const m = objectMetadata({ ...entry(), lineNumber: '前台' }, 'S1', 'cd'.repeat(32));
  assert.is(m.sha256, 'cd'.repeat(32));
  assert.is(m['record-sha256'], 'ab'.repeat(32));
  assert.is(m['line-number'], encodeURIComponent('前台'));
  for (const v of Object.values(m)) assert.ok(/^[\x20-\x7e]*$/.test(v), v);
});

test('failures: wrong keys, no bucket, no answer, other refusals', () => {
  assert.is(failureOf({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } }), 'credentials');
  assert.is(failureOf({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } }), 'credentials');
  assert.is(failureOf({ name: 'Unknown', $metadata: { httpStatusCode: 403 } }), 'credentials');
  assert.is(failureOf({ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }), 'bucket');
  assert.is(failureOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })), 'unreachable');
  assert.is(failureOf({ name: 'InternalError', $metadata: { httpStatusCode: 503 } }), 'unreachable');
  assert.is(failureOf({ name: 'EntityTooLarge', $metadata: { httpStatusCode: 400 } }), 'refused');
});

test('the settings view never holds the secret; an enabled store needs a bucket and keys', () => {
  const s = { ...DEFAULT_OBJECT_STORE_SETTINGS, enabled: true, bucket: 'b-1', accessKeyId: 'AK', secretAccessKey: 'very-secret' };
  const view = viewOf(s);
  assert.not.ok(JSON.stringify(view).includes('very-secret'));
  assert.is(view.secretSet, true);
  assert.is(missingForUse(s), null);
  assert.is(missingForUse({ ...s, bucket: '' }), 'a bucket');
  assert.is(missingForUse({ ...s, secretAccessKey: '' }), 'an access key and its secret');
});

test.run();
