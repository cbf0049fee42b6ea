/**
 * The detectors against the reference recordings in ../shared/dsp-vectors
 * (see vectors.ts). Matching follows the vectors' own rules: a digit matches
 * an event of the same digit whose window [start, end + 60 ms] holds the
 * digit's start; a caller-ID message matches a burst when it completes within
 * [start, end + 300 ms] with the same bytes (FSK) or digit string (DTMF).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallerIdMessage } from '../../firmware/dsp/callerid-message.ts';
import { ChannelSignalDetector } from '../../firmware/dsp/channel-detector.ts';
import type { DtmfDigitEvent } from '../../firmware/dsp/dtmf-receiver.ts';
import { detectDigits } from './helpers.ts';
import { type CallerIdEvent, type DtmfEvent, loadVector, requireVectors, toHex, vectorNames } from './vectors.ts';

interface Decoded {
  digits: DtmfDigitEvent[];
  callerIds: Array<{ message: CallerIdMessage; t: number }>;
}

function decode(pcm: Int16Array): Decoded {
  const callerIds: Decoded['callerIds'] = [];
  const det = new ChannelSignalDetector({ onDigit() {}, onCallerId: (message, atMs) => callerIds.push({ message, t: atMs / 1000 }) });
  for (let i = 0; i < pcm.length; i += 160) det.process(pcm.subarray(i, i + 160), i / 8);
  det.process(new Int16Array(8000 * 3), pcm.length / 8);
  return { digits: detectDigits(pcm), callerIds };
}

const STANDARD: Record<string, string> = { 'bell202-sdmf': 'bell202', 'bell202-mdmf': 'bell202', 'etsi-v23-mdmf': 'v23', 'dtmf-clip': 'dtmf' };
const rawOf = (m: CallerIdMessage) => (m.format === 'dtmf' ? Buffer.from(m.raw).toString('latin1') : toHex(m.raw));
const wanted = (e: CallerIdEvent) => (e.standard === 'dtmf-clip' ? e.dtmf_string! : e.bytes_hex!.slice(0, -2));

/** Everything that does not meet the vector's expectations, as readable lines. */
function problems(name: string, decoded: Decoded, events: Array<{ type: string }>): string[] {
  const out: string[] = [];
  const dtmf = events.filter((e): e is DtmfEvent => e.type === 'dtmf');
  const matched = new Array<DtmfDigitEvent | null>(dtmf.length).fill(null);
  for (const d of decoded.digits) {
    const on = d.onSample / 8000;
    const i = dtmf.findIndex((e, k) => !matched[k] && e.digit === d.digit && on >= e.start_s - 0.015 && on <= e.end_s + 0.06);
    if (i < 0) out.push(`${name}: unexpected digit ${d.digit} at ${on.toFixed(3)} s`);
    else matched[i] = d;
  }
  dtmf.forEach((e, i) => {
    const d = matched[i];
    if (e.expect === 'detect' && !d) out.push(`${name}: missed ${e.digit} at ${e.start_s} s`);
    if (e.expect === 'reject' && d) out.push(`${name}: reported ${e.digit} at ${e.start_s} s (${e.note ?? 'must be rejected'})`);
    if (e.expect === 'detect' && d && Math.abs(d.onSample / 8000 - e.start_s) > 0.015) {
      out.push(`${name}: ${e.digit} at ${e.start_s} s reported as starting at ${(d.onSample / 8000).toFixed(4)} s`);
    }
  });
  const cid = events.filter((e): e is CallerIdEvent => e.type === 'callerid');
  const used = new Set<number>();
  for (const e of cid) {
    const hit = decoded.callerIds.findIndex(
      (c) => c.message.standard === STANDARD[e.standard] && c.t >= e.start_s - 0.01 && c.t <= e.end_s + 0.3 && rawOf(c.message) === wanted(e),
    );
    if (hit >= 0) used.add(hit);
    if (e.expect === 'decode' && hit < 0) out.push(`${name}: caller ID at ${e.start_s} s not decoded`);
    if (e.expect === 'reject' && hit >= 0) out.push(`${name}: caller ID at ${e.start_s} s must be rejected`);
  }
  decoded.callerIds.forEach((c, i) => {
    // Digit streams of DTMF-only vectors may spell caller-ID strings (…B789C…); as the vectors' scorer, ignore those.
    if (cid.length === 0 && c.message.format === 'dtmf') return;
    if (!used.has(i)) out.push(`${name}: unexpected caller ID ${rawOf(c.message)} at ${c.t.toFixed(3)} s`);
  });
  return out;
}

test('clean vectors decode exactly as their sidecars say: all-digits, Bell 202 and V.23 MDMF/SDMF, withheld, DTMF caller ID', () => {
  const clean = ['dtmf_basic_all16', 'cid_bell202_mdmf', 'cid_bell202_sdmf', 'cid_bell202_sdmf_outofarea', 'cid_bell202_mdmf_private',
    'cid_etsi_v23_mdmf', 'cid_etsi_v23_mdmf_withheld', 'cid_dtmf_clip_A_C', 'cid_dtmf_clip_A_hash', 'cid_dtmf_clip_private', 'cid_dtmf_clip_restricted'];
  requireVectors();
  for (const name of clean) {
    const { pcm, sidecar } = loadVector(name);
    const decoded = decode(pcm);
    const dtmf = sidecar.events.filter((e): e is DtmfEvent => e.type === 'dtmf');
    assert.is(decoded.digits.map((d) => d.digit).join(''), dtmf.map((e) => e.digit).join(''), name);
    decoded.digits.forEach((d, i) => {
      assert.ok(Math.abs(d.onSample / 8000 - dtmf[i]!.start_s) <= 0.015, `${name}: ${d.digit} #${i} on`);
      assert.ok(Math.abs(d.offSample / 8000 - dtmf[i]!.end_s) <= 0.015, `${name}: ${d.digit} #${i} off`);
    });
    const cid = sidecar.events.filter((e): e is CallerIdEvent => e.type === 'callerid');
    assert.is(decoded.callerIds.length, cid.length, name);
    cid.forEach((e, i) => {
      const m = decoded.callerIds[i]!.message;
      assert.is(rawOf(m), wanted(e), name);
      assert.is(m.number ?? null, e.fields['number'] ?? null, `${name}: number`);
      assert.is(m.name ?? null, e.fields['name'] ?? null, `${name}: name`);
      assert.is(m.datetime ?? null, e.fields['datetime_mmddhhmm'] ?? null, `${name}: date-time`);
      const reason = e.fields['number_absence_reason'];
      if (reason) assert.is(m.numberAbsence, ['P', '1', '10'].includes(reason) ? 'private' : 'unavailable', `${name}: absence`);
    });
  }
});

test('every dtmf_ and cid_ vector: required digits and caller IDs found, rejects and extras absent', () => {
  requireVectors();
  const found: string[] = [];
  for (const name of [...vectorNames('dtmf_'), ...vectorNames('cid_')]) {
    const { pcm, sidecar } = loadVector(name);
    found.push(...problems(name, decode(pcm), sidecar.events));
  }
  assert.equal(found, []);
});

test('16 minutes of real speech, normal and hot, give no digit and no caller ID', () => {
  requireVectors();
  for (const name of vectorNames('talkoff_')) {
    const { pcm } = loadVector(name);
    assert.equal(problems(name, decode(pcm), []), []);
  }
});

test.run();
