import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSipMessage, serializeSipMessage, getHeader, headerValues, topVia, headerParam, uriOf, displayNameOf } from '../../firmware/voip/sip/sip-message.ts';
import { SipStreamFramer } from '../../firmware/voip/sip/stream-framer.ts';
import { parseMultipart, parseContentType } from '../../firmware/voip/sip/multipart.ts';
import { CRLF } from './support/sip-client.ts';

const INVITE = CRLF(`INVITE sip:srs@10.0.0.1 SIP/2.0
v: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-1, SIP/2.0/TCP proxy.example:5070
 ;branch=z9hG4bK-0
Max-Forwards: 70
f: "Alice, A." <sip:alice@example.com>;tag=abc
t: <sip:srs@10.0.0.1>
i: call-1@10.0.0.2
CSeq: 1 INVITE
m: <sip:src@10.0.0.2>;+sip.src
Subject: a long
\tsubject
k: siprec, timer
c: application/sdp
l: 4

v=0
`);

test('compact headers expand, folded lines join, multi-value headers split outside quotes and brackets', () => {
  const r = parseSipMessage(Buffer.from(INVITE));
  assert.ok(r.ok);
  if (!r.ok || r.message.kind !== 'request') return;
  const m = r.message;
  assert.is(m.method, 'INVITE');
  assert.is(getHeader(m.headers, 'Call-ID'), 'call-1@10.0.0.2');
  assert.is(getHeader(m.headers, 'subject'), 'a long subject');
  assert.equal(headerValues(m.headers, 'Supported'), ['siprec', 'timer']);
  assert.is(headerValues(m.headers, 'Via').length, 2);
  assert.is(topVia(m.headers)?.branch, 'z9hG4bK-1');
  assert.is(topVia(m.headers)?.port, 5060);
  const from = getHeader(m.headers, 'From')!;
  assert.is(headerParam(from, 'tag'), 'abc');
  assert.is(uriOf(from), 'sip:alice@example.com');
  assert.is(displayNameOf(from), 'Alice, A.');
  assert.is(m.body.toString(), 'v=0\r');
});

test('the body is cut at Content-Length; a shorter body than announced is a 400', () => {
  const base = CRLF('OPTIONS sip:srs SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK-x\nFrom: <sip:a@b>;tag=1\nTo: <sip:c@d>\nCall-ID: x\nCSeq: 7 OPTIONS\n');
  const ok = parseSipMessage(Buffer.from(base + 'Content-Length: 2\r\n\r\nabcdef'));
  assert.ok(ok.ok && ok.message.body.toString() === 'ab');
  const bad = parseSipMessage(Buffer.from(base + 'Content-Length: 20\r\n\r\nabc'));
  assert.ok(!bad.ok && bad.status === 400 && bad.method === 'OPTIONS');
  assert.ok(!bad.ok && bad.headers.some(([n]) => n === 'Via'), 'what was read is kept to address the answer');
});

test('malformed messages give 400 with a reason, never a throw', () => {
  for (const text of ['', 'garbage', 'INVITE sip:x SIP/2.0\r\n\r\n', 'INVITE sip:x SIP/2.0\r\nVia: x\r\nCSeq: abc\r\n\r\n', 'SIP/2.0 99 Odd\r\n\r\n', 'INVITE sip:x SIP/2.0\r\nno colon here\r\n\r\n']) {
    const r = parseSipMessage(Buffer.from(text));
    assert.ok(!r.ok && r.status === 400 && r.reason.length > 0, JSON.stringify(text));
  }
  const wrongMethod = parseSipMessage(Buffer.from(CRLF('BYE sip:x SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK-x\nFrom: a;tag=1\nTo: b\nCall-ID: x\nCSeq: 1 INVITE\n\n')));
  assert.ok(!wrongMethod.ok && /CSeq/.test(wrongMethod.reason));
});

test('a 21 KB datagram with one huge header parses; over 64 KB is a 513', () => {
  const head = INVITE.replace('Max-Forwards: 70', `Max-Forwards: 70\r\nX-Oversized-Filler: ${'A'.repeat(18_580)}`);
  const big = parseSipMessage(Buffer.from(head));
  assert.ok(big.ok);
  const huge = parseSipMessage(Buffer.from(INVITE.replace('Max-Forwards: 70', `X-Filler: ${'B'.repeat(70_000)}`)));
  assert.ok(!huge.ok && huge.status === 513);
});

test('serialising writes the start line, headers and a Content-Length that matches the body', () => {
  const r = parseSipMessage(Buffer.from(INVITE));
  assert.ok(r.ok);
  if (!r.ok) return;
  const again = parseSipMessage(serializeSipMessage(r.message));
  assert.ok(again.ok);
  if (!again.ok) return;
  assert.equal(again.message.headers.filter(([n]) => n !== 'Content-Length'), r.message.headers.filter(([n]) => n !== 'Content-Length'));
  assert.equal(again.message.body, r.message.body);
});

test('the TCP framer cuts messages by Content-Length: two in one chunk, one split byte by byte, keep-alives skipped', () => {
  const msg = Buffer.from(INVITE);
  const framer = new SipStreamFramer();
  const two = framer.push(Buffer.concat([Buffer.from('\r\n\r\n'), msg, msg]));
  assert.is(two.length, 2);
  const split = new SipStreamFramer();
  const got = [];
  for (let i = 0; i < msg.length; i++) got.push(...split.push(msg.subarray(i, i + 1)));
  assert.is(got.length, 1);
  assert.ok('message' in got[0]! && got[0].message.equals(msg.subarray(0, msg.length - 1)), 'the byte after Content-Length is not part of it');
  const runaway = new SipStreamFramer();
  const err = runaway.push(Buffer.from(CRLF('INVITE sip:x SIP/2.0\nContent-Length: 999999\n\n')));
  assert.ok(err.length === 1 && 'error' in err[0]! && err[0].error === 513);
});

test('multipart bodies: quoted or bare boundary, a third part kept apart, a wrong boundary refused', () => {
  assert.equal(parseContentType('multipart/mixed; boundary="a b;c"').params['boundary'], 'a b;c');
  assert.equal(parseContentType('Multipart/Mixed;boundary=unique-boundary-1').type, 'multipart/mixed');
  const body = Buffer.from(CRLF('preamble\n--xyz\nContent-Type: application/sdp\n\nv=0\n--xyz\nContent-Disposition: x\nContent-Type: application/rs-metadata+xml\n\n<recording/>\n--xyz\nContent-Type: application/gtd\n\nIAM,\n--xyz-- \nepilogue'));
  const r = parseMultipart(body, 'xyz');
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.parts.map((p) => p.contentType.type), ['application/sdp', 'application/rs-metadata+xml', 'application/gtd']);
  assert.is(r.parts[0]!.body.toString(), 'v=0');
  assert.is(r.parts[1]!.disposition, 'x');
  const wrong = parseMultipart(body, 'declared-boundary-AAAA');
  assert.ok(!wrong.ok && /not found/.test(wrong.reason));
});

test.run();
