/**
 * sipp as the SRC against the SIPREC server and the real media and recorder:
 * the README's scenario (a) over UDP and TCP, the malformed d1–d3 followed by
 * a call that still records, and this suite's re-INVITE, hold and
 * metadata-later scenarios, against the daemon on the simulated board. Each
 * recording is checked for its tones and parties.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { authedFetch } from '../support/api-client.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { waitFor } from '../support/processes.ts';
import { runSipp, sippWorkDir, freePortBlock, type SippResult } from '../voip/support/sipp.ts';
import { tonesHeard } from '../voip/support/tones.ts';

const TONES = [440, 660, 1000, 1500];
const FIXTURES = fs.readdirSync('test/fixtures/siprec').filter((f) => f.endsWith('.xml')).map((f) => path.join('test/fixtures/siprec', f));

interface Box { box: SimBox; sipPort: number; work: string; pump: NodeJS.Timeout }
let b: Box;

/** The daemon on the simulated board, VoIP on with the SIP listener on a free port, its clock following the wall clock (sipp runs in real time). */
async function voipBox(): Promise<Box> {
  const box = await startSimBox({ sources: [] });
  let last = Date.now();
  const pump = setInterval(() => {
    const now = Date.now();
    box.clock.advance(now - last);
    last = now;
  }, 5);
  const rtpPortMin = await freePortBlock(100);
  const res = await authedFetch(`http://127.0.0.1:${box.port}/api/v1/voip/settings`, {
    method: 'PATCH', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true, sipPort: 0, phoneControlPort: 0, bindAddress: '127.0.0.1', rtpPortMin, rtpPortMax: rtpPortMin + 99, silenceTimeoutS: 30, jitterMs: 60 }),
  });
  assert.is(res.status, 200, await res.text());
  const sipPort = await waitFor('the SIP listener', async () => (await box.api('/api/v1/voip/sessions')).body.sipPort as number | null, 30_000, 10);
  const work = sippWorkDir(FIXTURES);
  execFileSync('python3', ['tools/rtp_send.py', '--help'], { cwd: work, stdio: 'ignore' }); // loads the helper once, so its first call starts in time
  return { box, sipPort, work, pump };
}

/** The recording of a sipp call (by its SIP Call-ID), its fields and the tones of its two channels. */
async function recordingOf(r: SippResult): Promise<{ rec: any; left: number[]; right: number[] }> {
  assert.is(r.code, 0, `sipp failed:\n${r.stdout.slice(-1500)}\n${r.errors.slice(-1500)}`);
  const callId = callIdOf(r);
  const ended = await waitFor(`the call ${callId} ended`, async () => {
    const s = (await b.box.api('/api/v1/voip/sessions')).body;
    return (s.ended as any[]).find((c) => c.callId === callId && c.recordId);
  }, 10_000);
  await b.box.daemon.drain();
  const rec = await waitFor(`the recording of ${callId}`, async () => {
    const res = await b.box.api(`/api/v1/records/${ended.recordId}`);
    return res.status === 200 ? res.body : null;
  }, 10_000);
  const audio = (await b.box.api(`/api/v1/records/${ended.recordId}/audio`)).body as Buffer;
  const [left, right] = decodeWav(audio).channels as [Int16Array, Int16Array];
  return { rec, left: tonesHeard(left, 8000, TONES), right: tonesHeard(right, 8000, TONES) };
}

/** The session id and participants' AoRs of scenario (a)'s metadata. */
const A_METADATA = (() => {
  const xml = fs.readFileSync('../shared/siprec/scenarios/siprec_a_basic_two_streams.xml', 'utf8');
  return { sessionId: /<session session_id="([^"]+)"/.exec(xml)![1]!, aors: [...xml.matchAll(/<nameID aor="([^"]+)"/g)].map((m) => m[1]!) };
})();

const callIdOf = (r: SippResult) => /^Call-ID: (\S+)/m.exec(r.messages)?.[1] ?? '';
/**
 * Runs a scenario. The second stream comes from a helper process that sipp
 * starts; on a busy machine it may start seconds late and miss the call, which
 * says nothing of the recorder: such a run (under a second of label 2 in a
 * call of one phase) is run again, at most twice.
 */
async function scenario(name: string, transport: 'u1' | 't1' = 'u1'): Promise<SippResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await runSipp(b.work, name, b.sipPort, transport);
    if (r.code !== 0 || attempt === 3 || !/a_basic|later/.test(name)) return r;
    const callId = callIdOf(r);
    const ended = await waitFor(`the call ${callId} ended`, async () => {
      const s = (await b.box.api('/api/v1/voip/sessions')).body;
      return (s.ended as any[]).find((c) => c.callId === callId);
    }, 10_000).catch(() => null);
    if (!ended || ended.streams.every((st: { packets: number }) => st.packets >= 50)) return r;
  }
}

test.before(async () => {
  b = await voipBox();
});

test.after(async () => {
  await b.box.stop();
  clearInterval(b.pump);
  fs.rmSync(b.work, { recursive: true, force: true });
});

test('(a) over UDP and TCP: one stereo recording each, 440 Hz on the caller leg and 1000 Hz on the callee leg', async () => {
  for (const transport of ['u1', 't1'] as const) {
    const r = await scenario('siprec_a_basic_two_streams.xml', transport);
    const { rec, left, right } = await recordingOf(r);
    assert.is(rec.portType, 'voip');
    assert.equal(left, [440]);
    assert.equal(right, [1000]);
    assert.is(rec.remoteNumber, '+8613912345678');
    assert.is(rec.lineNumber, '8001');
    assert.is(rec.localName, 'Extension 8001');
    assert.match(rec.participants, 'Extension 8001');
    assert.ok(rec.durationS > 3 && rec.durationS < 8, `duration ${rec.durationS}`);
    // The SIP identity of the session, from the scenario's metadata.
    const sipCallId = callIdOf(r);
    assert.is(rec.callId, `siprec:${sipCallId}`);
    assert.is(rec.voip.source, 'siprec');
    assert.is(rec.voip.sipCallId, sipCallId);
    assert.is(rec.voip.sessionId, A_METADATA.sessionId);
    assert.is(rec.voip.sipSessionIds, `cs-${sipCallId}`);
    assert.equal(rec.voip.participants.map((p: { aor: string }) => p.aor), A_METADATA.aors);
    assert.equal(rec.voip.participants.map((p: { role: string }) => p.role), ['leg0', 'leg1']);
    const found = (await b.box.api(`/api/v1/records?callId=${encodeURIComponent(sipCallId)}`)).body;
    assert.equal(found.items.map((x: { id: string }) => x.id), [rec.id], 'found by its SIP Call-ID');
  }
  assert.equal((await b.box.api('/api/v1/voip/sessions')).body.siprec, []);
});

test('d1 is accepted (metadata may come later), d2 gets 400 and d3 488 with nothing recorded; a call records afterwards', async () => {
  const d1 = await scenario('siprec_d1_missing_metadata.xml');
  const d2 = await scenario('siprec_d2_bad_boundary.xml');
  const d3 = await scenario('siprec_d3_sdp_zero_mlines.xml', 't1');
  assert.is(d1.code, 0, d1.stdout.slice(-1000));
  assert.match(d1.messages, /SIP\/2\.0 200 OK/);
  assert.is(d2.code, 0, d2.stdout.slice(-1000));
  assert.match(d2.messages, /SIP\/2\.0 400 Bad Request/);
  assert.is(d3.code, 0, d3.stdout.slice(-1000));
  assert.match(d3.messages, /SIP\/2\.0 488 Not Acceptable Here/);
  const calls = ((await b.box.api('/api/v1/voip/sessions')).body.ended as any[]).map((c) => c.callId);
  assert.not.ok(calls.includes(callIdOf(d2)), 'no call opened for d2');
  assert.not.ok(calls.includes(callIdOf(d3)), 'no call opened for d3');
  const live = await recordingOf(await scenario('siprec_a_basic_two_streams.xml'));
  assert.equal([live.left, live.right], [[440], [1000]]);
  assert.is((await b.box.api('/api/v1/voip/sessions')).body.active, 0, 'no call left open');
});

test('re-INVITEs moving ports (with and without metadata), hold/resume and metadata in a later UPDATE continue one recording', async () => {
  // One at a time: the second stream's sender is a separate process that a busy machine may start late.
  const rb = await scenario('siprec_b_reinvite_new_ports.xml');
  const rb2 = await scenario('siprec_b2_reinvite_sdp_only.xml', 't1');
  const hold = await scenario('siprec_hold_resume.xml');
  const later = await scenario('siprec_metadata_later_update.xml');
  for (const r of [rb, rb2, hold]) {
    const { rec, left, right } = await recordingOf(r);
    assert.equal(left, [440, 660], `label 1 of ${rec.callId}`);
    assert.equal(right, [1000, 1500], `label 2 of ${rec.callId}`);
    assert.is(rec.remoteNumber, '+8613912345678');
    assert.is(rec.lineNumber, '8001');
  }
  const l = await recordingOf(later);
  assert.equal([l.left, l.right], [[440], [1000]]);
  assert.is(l.rec.remoteNumber, '+8613912345678', 'numbers from the metadata sent in the UPDATE');
  assert.is(l.rec.lineNumber, '8001');
  assert.ok(l.rec.voip.sessionId, 'session id from the metadata sent in the UPDATE');
  assert.is(l.rec.voip.participants.length, 2);
  const ended = ((await b.box.api('/api/v1/voip/sessions')).body.ended as any[]).map((c) => c.callId);
  for (const r of [rb, rb2, hold, later]) assert.is(ended.filter((c) => c === callIdOf(r)).length, 1, 'one call per SIPREC session, re-INVITEs included');
});

test.run();
