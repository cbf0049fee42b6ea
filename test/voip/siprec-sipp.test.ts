/**
 * sipp as the SRC against the SIPREC server and the real media and recorder:
 * the README's scenario (a) over UDP and TCP, the malformed d1–d3 followed by
 * a call that still records, and this suite's re-INVITE, hold and
 * metadata-later scenarios. Each recording is checked for its tones and parties.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pino from 'pino';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { EventBus } from '../../firmware/events/event-bus.ts';
import { AudioTap } from '../../firmware/events/audio-tap.ts';
import { systemClock } from '../../firmware/host/linux/clock.ts';
import { VoipMediaServer } from '../../firmware/voip/media/voip-media.ts';
import { SiprecListener } from '../../firmware/voip/siprec/siprec-listener.ts';
import { siprecSettingsSchema } from '../../firmware/voip/siprec/siprec-settings.ts';
import { runSipp, sippWorkDir, freePortBlock, type SippResult } from './support/sipp.ts';
import { tonesHeard } from './support/tones.ts';
import { waitFor } from '../support/processes.ts';

const TONES = [440, 660, 1000, 1500];
const FIXTURES = fs.readdirSync('test/fixtures/siprec').filter((f) => f.endsWith('.xml')).map((f) => path.join('test/fixtures/siprec', f));

async function box() {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'siprec-box-'));
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const entries: RecordEntry[] = [];
  const log = pino({ level: 'silent' });
  const recorder = new Recorder(data, index, 'pcm16', new FileFinisher(data, null), log, { events: { indexed: (e) => entries.push(e) } });
  const rtpMin = await freePortBlock(200);
  const media = new VoipMediaServer({
    recorder, events: new EventBus(), tap: new AudioTap(), clock: systemClock, log, capacity: 16,
    settings: () => ({ rtpPorts: { min: rtpMin, max: rtpMin + 199 }, jitterMs: 60, silenceTimeoutS: 30, layout: 'stereo' }),
  });
  media.start();
  const sip = new SiprecListener({ media, clock: systemClock, log });
  await sip.start(siprecSettingsSchema.parse({ port: 0, bindAddress: '127.0.0.1' }));
  const work = sippWorkDir(FIXTURES);
  return { data, index, recorder, entries, media, sip, work };
}

type Box = Awaited<ReturnType<typeof box>>;
let b: Box;

/** The recording of a sipp call (found by its SIP Call-ID) and the tones of its two channels. */
async function recordingOf(r: SippResult): Promise<{ entry: RecordEntry; left: number[]; right: number[] }> {
  assert.is(r.code, 0, `sipp failed:\n${r.stdout.slice(-1500)}\n${r.errors.slice(-1500)}`);
  const callId = /^Call-ID: (\S+)/m.exec(r.messages)![1]!;
  const entry = await waitFor(`the recording of ${callId}`, async () => {
    await b.recorder.drain();
    return b.entries.find((x) => x.callId === `siprec:${callId}`);
  }, 10_000);
  const wav = decodeWav(fs.readFileSync(path.join(b.data, entry.file!)));
  const [left, right] = wav.channels as [Int16Array, Int16Array];
  return { entry, left: tonesHeard(left, 8000, TONES), right: tonesHeard(right, 8000, TONES) };
}

const callIdOf = (r: SippResult) => /^Call-ID: (\S+)/m.exec(r.messages)?.[1] ?? '';
const scenario = (name: string, transport: 'u1' | 't1' = 'u1') => runSipp(b.work, name, b.sip.port, transport);

test.before(async () => {
  b = await box();
});

test.after(async () => {
  await b.sip.stop();
  await b.media.stop();
  await b.recorder.drain();
  await b.index.close();
});

test('(a) over UDP and TCP: one stereo recording each, 440 Hz on the caller leg and 1000 Hz on the callee leg', async () => {
  for (const transport of ['u1', 't1'] as const) {
    const r = await scenario('siprec_a_basic_two_streams.xml', transport);
    const { entry, left, right } = await recordingOf(r);
    assert.ok(entry.stereo);
    assert.equal(left, [440]);
    assert.equal(right, [1000]);
    assert.is(entry.remoteNumber, '+8613912345678');
    assert.is(entry.lineNumber, '8001');
    assert.match(entry.participants, 'Extension 8001');
    assert.ok(entry.durationMs > 3000 && entry.durationMs < 8000, `duration ${entry.durationMs}`);
  }
  assert.is(b.sip.sessions().length, 0);
});

test('d1 is accepted (metadata may come later), d2 gets 400 and d3 488 with nothing recorded; a call records afterwards', async () => {
  const before = b.entries.length;
  const d1 = await scenario('siprec_d1_missing_metadata.xml');
  const d2 = await scenario('siprec_d2_bad_boundary.xml');
  const d3 = await scenario('siprec_d3_sdp_zero_mlines.xml', 't1');
  assert.is(d1.code, 0, d1.stdout.slice(-1000));
  assert.match(d1.messages, /SIP\/2\.0 200 OK/);
  assert.is(d2.code, 0, d2.stdout.slice(-1000));
  assert.match(d2.messages, /SIP\/2\.0 400 Bad Request/);
  assert.is(d3.code, 0, d3.stdout.slice(-1000));
  assert.match(d3.messages, /SIP\/2\.0 488 Not Acceptable Here/);
  await b.recorder.drain();
  const made = b.entries.slice(before).map((e) => e.callId);
  assert.not.ok(made.includes(`siprec:${callIdOf(d2)}`));
  assert.not.ok(made.includes(`siprec:${callIdOf(d3)}`));
  const live = await recordingOf(await scenario('siprec_a_basic_two_streams.xml'));
  assert.equal([live.left, live.right], [[440], [1000]]);
  assert.is(b.media.portsInUse, 0, 'no port left allocated');
});

test('re-INVITEs moving ports (with and without metadata), hold/resume and metadata in a later UPDATE continue one recording', async () => {
  const before = b.entries.length;
  // One at a time: the second stream's sender is a separate process that a busy machine may start late.
  const rb = await scenario('siprec_b_reinvite_new_ports.xml');
  const rb2 = await scenario('siprec_b2_reinvite_sdp_only.xml', 't1');
  const hold = await scenario('siprec_hold_resume.xml');
  const later = await scenario('siprec_metadata_later_update.xml');
  for (const r of [rb, rb2, hold]) {
    const { entry, left, right } = await recordingOf(r);
    assert.equal(left, [440, 660], `label 1 of ${entry.callId}`);
    assert.equal(right, [1000, 1500], `label 2 of ${entry.callId}`);
    assert.is(entry.remoteNumber, '+8613912345678');
    assert.is(entry.lineNumber, '8001');
  }
  const l = await recordingOf(later);
  assert.equal([l.left, l.right], [[440], [1000]]);
  assert.is(l.entry.remoteNumber, '+8613912345678', 'numbers from the metadata sent in the UPDATE');
  assert.is(l.entry.lineNumber, '8001');
  assert.is(b.entries.length - before, 4, 'one recording per call, none for the re-INVITEs');
});

test.run();
