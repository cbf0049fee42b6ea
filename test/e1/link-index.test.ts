import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRecord, encodeRecord } from '../../firmware/recording/record-codec.ts';
import { recordId, type RecordEntry } from '../../firmware/recording/record-entry.ts';

const at = Date.parse('2026-12-02T10:00:00Z');
const ref = { portType: 'e1' as const, port: 2, channel: 17 };
const base: RecordEntry = {
  ...ref, id: recordId(at, ref, 1), callId: `17-${at}`, part: 1, lineNumber: '88776655', localName: 'Trunk 3', remoteNumber: '13912345678',
  callerName: '', callType: 'incoming-missed', direction: 'incoming', participants: '', startedAt: at, durationMs: 7480,
  startMode: 'signalling', stopMode: 'busy-tone', level: 'normal', file: null, sizeBytes: 0, codec: null, stereo: true,
  archived: false, sealed: false, sha256: 'ab'.repeat(32), deleted: false,
};
const keys = { startedAt: at, ...ref, part: 1, deleted: false };

test('an E1 entry keeps whether the call was answered and its clearing cause through the index', () => {
  const e: RecordEntry = { ...base, answered: false, cause: '17 user busy' };
  assert.equal(decodeRecord(encodeRecord(e, Math.floor(at / 86_400_000)), keys), e);
  const answered: RecordEntry = { ...base, callType: 'incoming-answered', stopMode: 'hangup', answered: true, cause: '16 normal call clearing' };
  assert.equal(decodeRecord(encodeRecord(answered, Math.floor(at / 86_400_000)), keys), answered);
});

test('entries without them (analog lines, VoIP) read back without them', () => {
  const d = decodeRecord(encodeRecord(base, Math.floor(at / 86_400_000)), keys);
  assert.equal(d, base);
  assert.not.ok('answered' in d);
  assert.not.ok('cause' in d);
});

test.run();
