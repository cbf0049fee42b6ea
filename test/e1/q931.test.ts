import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LapdReceiver, parseLapd } from '../../firmware/e1/lapd.ts';
import { decodeQ931 } from '../../firmware/e1/q931.ts';
import { prng, unhex, vectorJson } from './helpers.ts';

const BOOK = vectorJson('real_traces/pri_real_asterisk_book_expected.json');
const GOELLER = vectorJson('real_traces/bri_real_goeller_expected.json');

const msg = (h: string) => {
  const r = decodeQ931(unhex(h));
  if (!r.ok) throw new Error(r.error);
  return r.message;
};

test('real PRI trace: the outgoing call (CR 65) with numbers, types, presentation, display and channel', () => {
  const m = msg(BOOK.q931_messages[0].q931_hex);
  const exp = BOOK.expected_from_source_text.outgoing_call_cr65;
  assert.is(m.name, 'SETUP');
  assert.is(m.callRef, 65);
  assert.is(m.callRefFlag, false);
  assert.equal(m.calling, { digits: exp.calling, type: 'national', plan: 'isdn', presentation: 'allowed', screening: 'user-not-screened' });
  assert.equal(m.called, { digits: exp.called, type: 'national', plan: 'isdn' });
  assert.is(m.display, exp.display);
  assert.equal(m.channel?.channels, [exp.channel]);
  assert.is(m.channel?.exclusive, true);
  assert.is(m.bearer?.transferCapability, 'speech');
  assert.is(m.bearer?.layer1, 'alaw');
});

test('real PRI trace: the incoming call (CR 5720), preferred channel, subscriber number, facility skipped', () => {
  const m = msg(BOOK.q931_messages[3].q931_hex);
  const exp = BOOK.expected_from_source_text.incoming_call_cr5720;
  assert.is(m.callRef, 5720);
  assert.is(m.calling?.digits, exp.calling);
  assert.is(m.calling?.screening, 'network');
  assert.is(m.called?.digits, exp.called);
  assert.is(m.called?.type, 'subscriber');
  assert.is(m.channel?.exclusive, false);
  assert.equal(m.channel?.channels, [2]);
  assert.ok(m.otherIes.includes(0x1c));
  const names = BOOK.q931_messages.map((q: { q931_hex: string }) => msg(q.q931_hex).name);
  assert.equal(names, BOOK.q931_messages.map((q: { msg: string }) => q.msg));
});

test('real BRI trace: LAPD with TEI 126 / 70, one-octet call references, numbers and channel', () => {
  const frames = GOELLER.frames.map((f: { hex: string }) => parseLapd(unhex(f.hex)));
  assert.ok(frames.every((f: { ok: boolean }) => f.ok));
  const [sabme, , setup1, , , setup2, setupAck] = frames.map((f: any) => f.frame);
  assert.equal([sabme.kind, sabme.tei, sabme.sapi], ['SABME', 126, 0]);
  assert.equal([setup1.kind, setup1.tei, setup1.ns], ['I', 126, 0]);
  const m1 = msg(Buffer.from(setup1.info).toString('hex'));
  assert.equal([m1.callRef, m1.callRefLength, m1.calling?.digits, m1.called?.digits], [12, 1, '29821', '03056333388']);
  assert.equal([m1.calling?.type, m1.calling?.plan, m1.calling?.presentation, m1.calling?.screening], ['unknown', 'isdn', 'allowed', 'user-not-screened']);
  const m2 = msg(Buffer.from(setup2.info).toString('hex'));
  assert.equal([m2.callRef, m2.called?.digits, m2.calling?.digits, m2.bearer?.transferCapability], [1, '01736233106', '0', 'unrestricted digital information']);
  const ack = msg(Buffer.from(setupAck.info).toString('hex'));
  assert.equal([ack.name, ack.callRefFlag, ack.channel?.interface, ack.channel?.exclusive, ack.channel?.channels], ['SETUP ACKNOWLEDGE', true, 'basic', true, [1]]);
});

test('cause, progress and unknown elements; codeset shifts skip the next element', () => {
  const m = msg('08020001' + '45' + '08028290' + '1e028288' + '9e' + '0801ff' + '7a0101');
  assert.is(m.name, 'DISCONNECT');
  assert.equal(m.cause, { value: 16, text: 'normal call clearing', location: 'public network serving the local user' });
  assert.is(m.progress?.description, 8);
  assert.ok(m.otherIes.includes((6 << 8) | 0x08));
  assert.ok(m.otherIes.includes(0x7a));
});

test('malformed messages give an error result, never a throw', () => {
  for (const h of ['', '08', '0902000105', '0802', '08020001', '08020001056c', '08020001056c05', '080f00', '0802000105180583']) {
    const r = decodeQ931(unhex(h));
    if (h === '08020001' || h === '0802000105180583') continue; // header only / short element content: decoded
    assert.is(r.ok, false, h);
  }
  const rand = prng(7);
  for (let i = 0; i < 5000; i++) {
    const b = new Uint8Array(Math.floor(rand() * 40)).map(() => Math.floor(rand() * 256));
    if (b.length > 0) b[0] = 0x08;
    decodeQ931(b);
  }
});

test('an I frame seen again (same N(S)) is delivered once; after SABME the numbers start over', () => {
  const rx = new LapdReceiver();
  const i = (ns: number) => {
    const r = parseLapd(new Uint8Array([0x00, 0x01, ns << 1, 0x00, 0x08, 0x02, 0x00, 0x01, 0x05]));
    if (!r.ok) throw new Error(r.error);
    return r.frame;
  };
  assert.equal([0, 1, 1, 2, 1, 3].map((n) => rx.accept(i(n))), [true, true, false, true, false, true]);
  assert.is(rx.retransmissions, 2);
  const sabme = parseLapd(unhex('00017f'));
  assert.ok(sabme.ok && !rx.accept(sabme.frame));
  assert.is(rx.accept(i(0)), true);
  for (let n = 1; n < 300; n++) assert.is(rx.accept(i(n & 127)), true, `N(S) ${n & 127} after wrap`);
  // Other information under a delivered N(S): the link started over unheard.
  const other = parseLapd(new Uint8Array([0x00, 0x01, (299 & 127) << 1, 0x00, 0x08, 0x02, 0x00, 0x02, 0x05]));
  assert.ok(other.ok && rx.accept(other.frame));
});

test.run();
