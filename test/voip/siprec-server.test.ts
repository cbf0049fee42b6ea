/** The SIPREC server's behaviour, driven message by message on a virtual clock and a fake media. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getHeader, headerValues } from '../../firmware/voip/sip/sip-message.ts';
import { metadataXml, multipart, request, sdpOffer, siprecInvite } from './support/sip-client.ts';
import { Harness } from './support/server-harness.ts';

async function established(h: Harness, callId: string, invite = siprecInvite(callId)): Promise<string> {
  await h.send(invite);
  const res = h.final();
  assert.is(res.status, 200, res.reason);
  const tag = h.toTag(res);
  await h.send(request({ method: 'ACK', callId, cseq: 1, toTag: tag }));
  return tag;
}

test('(a) two streams: 200 with two recvonly m-lines in offer order, labels echoed, legs tied to the participants', async () => {
  const h = new Harness();
  const tag = await established(h, 'a-1');
  const res = h.final();
  assert.equal(h.responses().map((r) => r.status), [100, 200]);
  assert.is(getHeader(res.headers, 'Content-Type'), 'application/sdp');
  assert.match(getHeader(res.headers, 'Contact')!, '+sip.srs');
  const sdp = res.body.toString();
  assert.match(sdp, /c=IN IP4 127\.0\.0\.1/);
  assert.match(sdp, /m=audio 40000 RTP\/AVP 8 101[\s\S]*a=recvonly\r\na=label:1[\s\S]*m=audio 40002 RTP\/AVP 8 101[\s\S]*a=recvonly\r\na=label:2/);
  const call = h.media.calls[0]!;
  assert.equal(call.log, ['add 1 leg=0 127.0.0.1:16000 PCMA+telephone-event', 'add 2 leg=1 127.0.0.1:16004 PCMA+telephone-event']);
  const m = call.merged();
  assert.is(m.remoteNumber, '+8613912345678');
  assert.is(m.localNumber, '8001');
  assert.is(m.localName, 'Extension 8001');
  assert.equal(m.participants!.map((p) => p.role), ['leg0', 'leg1']);
  assert.is(m.metadata!['sip.callId'], 'a-1');
  assert.is(m.metadata!['siprec.sipSessionId'], 'cs-a-1');
  assert.is(m.metadata!['siprec.sessionId'], 'k4hP7DlJW1WwWpZjb9BNBg==');
  h.clear();
  await h.send(request({ method: 'BYE', callId: 'a-1', cseq: 2, toTag: tag }));
  assert.is(h.final().status, 200);
  assert.is(call.closed, 'bye');
  assert.equal(h.statuses.map((s) => s.state), ['recording', 'ended']);
  assert.is(h.server.list().length, 0);
});

test('a retransmitted INVITE gets the same answer and opens nothing new; 200 is retransmitted until the ACK', async () => {
  const h = new Harness();
  const invite = siprecInvite('rt-1', { branch: 'z9hG4bK-same' });
  await h.send(invite);
  await h.send(invite);
  assert.is(h.media.calls.length, 1);
  assert.equal(h.responses().map((r) => r.status), [100, 200, 200]);
  h.clear();
  h.clock.advance(500 + 1000 + 2000);
  assert.is(h.responses().length, 3, 'timer G: 500, 1000, 2000 ms');
  await h.send(request({ method: 'ACK', callId: 'rt-1', cseq: 1, toTag: h.toTag(h.final()) }));
  h.clear();
  h.clock.advance(60_000);
  assert.is(h.responses().length, 0);
  assert.is(h.media.calls[0]!.closed, null);
});

test('a 2xx never acknowledged ends the recording with a BYE (timer H)', async () => {
  const h = new Harness();
  await h.send(siprecInvite('noack'));
  h.clock.advance(32_000);
  assert.is(h.media.calls[0]!.closed, 'no ACK');
  const bye = h.sent.find((m) => m.kind === 'request' && m.method === 'BYE');
  assert.ok(bye);
});

test('(d1) multipart with only the SDP is recorded without metadata; metadata arriving in an UPDATE names the legs', async () => {
  const h = new Harness();
  const callId = 'd1';
  const body = multipart([{ type: 'application/sdp', body: sdpOffer() }]);
  const tag = await established(h, callId, request({ method: 'INVITE', callId, cseq: 1, body, headers: ['Require: siprec'] }));
  const call = h.media.calls[0]!;
  assert.is(call.merged().remoteNumber, undefined);
  await h.send(request({ method: 'UPDATE', callId, cseq: 2, toTag: tag, body: { type: 'application/rs-metadata+xml', body: metadataXml(callId) } }));
  assert.is(h.final().status, 200);
  assert.is(h.final().body.length, 0, 'no SDP in an UPDATE without an offer');
  assert.is(call.merged().remoteNumber, '+8613912345678');
  assert.is(call.merged().localNumber, '8001');
  assert.is(h.media.calls.length, 1);
});

test('(d2) a boundary that never appears is a 400 and opens no recording', async () => {
  const h = new Harness();
  const good = multipart([{ type: 'application/sdp', body: sdpOffer() }], 'actual-boundary-BBBB');
  await h.send(request({ method: 'INVITE', callId: 'd2', cseq: 1, body: { type: 'multipart/mixed;boundary=declared-boundary-AAAA', body: good.body }, headers: ['Require: siprec'] }));
  assert.is(h.final().status, 400);
  assert.is(h.media.calls.length, 0);
  await h.send(request({ method: 'ACK', callId: 'd2', cseq: 1, toTag: h.toTag(h.final()), branch: undefined }));
  assert.is(h.server.list().length, 0);
});

test('(d3) an SDP without m-lines is a 488; unsupported codecs decline the stream with port 0', async () => {
  const h = new Harness();
  await h.send(siprecInvite('d3', { sdp: 'v=0\r\no=SRC 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n' }));
  assert.is(h.final().status, 488);
  const g729 = sdpOffer().replace('m=audio 16004 RTP/AVP 8 101', 'm=audio 16004 RTP/AVP 18').replace(/(m=audio 16004[^]*?)a=rtpmap:8 PCMA\/8000\r\n/, '$1a=rtpmap:18 G729/8000\r\n');
  await h.send(siprecInvite('d3b', { sdp: g729 }));
  const res = h.final();
  assert.is(res.status, 200);
  assert.match(res.body.toString(), /m=audio 40000 [^]*m=audio 0 RTP\/AVP 18/);
  assert.equal([...h.media.calls[0]!.streams.values()].map((s) => s.leg), ['mixed']);
  const allBad = sdpOffer().replace(/RTP\/AVP 8 101/g, 'RTP/AVP 18').replace(/a=rtpmap:8 PCMA\/8000/g, 'a=rtpmap:18 G729/8000');
  await h.send(siprecInvite('d3c', { sdp: allBad }));
  assert.is(h.final().status, 488);
  assert.is(h.media.calls.length, 1);
});

test('a re-INVITE moving both source ports, with a new SDP version and no metadata, continues the same recording', async () => {
  const h = new Harness();
  const tag = await established(h, 'b2');
  await h.send(siprecInvite('b2', { cseq: 2, toTag: tag, xml: null, sdp: sdpOffer({ version: 2, ports: [16008, 16012] }) }));
  const res = h.final();
  assert.is(res.status, 200);
  assert.match(res.body.toString(), /o=rds-srs \d+ 2 IN IP4/);
  assert.match(res.body.toString(), /m=audio 40000 [^]*m=audio 40002 /);
  assert.is(h.media.calls.length, 1);
  const call = h.media.calls[0]!;
  assert.equal(call.log.slice(2), ['update 1 127.0.0.1:16008', 'update 2 127.0.0.1:16012']);
  assert.is(call.merged().remoteNumber, '+8613912345678', 'participants from the first INVITE kept');
  assert.is(call.closed, null);
});

test('a re-INVITE with complete metadata typed application/rs-metadata replaces the snapshot on the same call', async () => {
  const h = new Harness();
  const tag = await established(h, 'b1');
  const xml = metadataXml('b1').replace('Extension 8001', 'Front desk');
  const body = multipart([{ type: 'application/sdp', body: sdpOffer({ version: 2, ports: [16008, 16012] }) }, { type: 'application/rs-metadata', body: xml }]);
  await h.send(request({ method: 'INVITE', callId: 'b1', cseq: 2, toTag: tag, body }));
  assert.is(h.final().status, 200);
  assert.is(h.media.calls.length, 1);
  assert.is(h.media.calls[0]!.merged().localName, 'Front desk');
});

test('hold and resume: a=inactive, a=record:paused pause the recording; sendonly again resumes it', async () => {
  const h = new Harness();
  const tag = await established(h, 'hold');
  const call = h.media.calls[0]!;
  await h.send(siprecInvite('hold', { cseq: 2, toTag: tag, xml: null, sdp: sdpOffer({ version: 2, direction: 'inactive' }) }));
  assert.is(h.final().status, 200);
  assert.equal(h.statuses.at(-1)!.state, 'paused');
  await h.send(siprecInvite('hold', { cseq: 3, toTag: tag, xml: null, sdp: sdpOffer({ version: 3 }) }));
  await h.send(siprecInvite('hold', { cseq: 4, toTag: tag, xml: null, sdp: sdpOffer({ version: 4, extra: 'a=record:paused' }) }));
  await h.send(siprecInvite('hold', { cseq: 5, toTag: tag, xml: null, sdp: sdpOffer({ version: 5, address: '0.0.0.0' }) }));
  await h.send(siprecInvite('hold', { cseq: 6, toTag: tag, xml: null, sdp: sdpOffer({ version: 6 }) }));
  assert.equal(call.log.filter((l) => /pause|resume/.test(l)), ['pause hold', 'resume', 'pause hold', 'resume']);
  assert.is(h.media.calls.length, 1);
});

test('a re-INVITE dropping a stream (port 0) removes it and answers port 0 for it', async () => {
  const h = new Harness();
  const tag = await established(h, 'drop');
  await h.send(siprecInvite('drop', { cseq: 2, toTag: tag, xml: null, sdp: sdpOffer({ version: 2, ports: [16000, 0] }) }));
  assert.match(h.final().body.toString(), /m=audio 40000 [^]*m=audio 0 /);
  assert.ok(h.media.calls[0]!.log.includes('remove 2'));
});

test('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, no recording left open', async () => {
  const h = new Harness();
  const invite = siprecInvite('cancel', { branch: 'z9hG4bK-c1' });
  h.server.receiveBytes(invite, { transport: 'udp', address: '127.0.0.1', port: 5061 });
  h.server.receiveBytes(request({ method: 'CANCEL', callId: 'cancel', cseq: 1, branch: 'z9hG4bK-c1' }), { transport: 'udp', address: '127.0.0.1', port: 5061 });
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  const statuses = h.responses().map((r) => `${r.status} ${getHeader(r.headers, 'CSeq')}`);
  assert.equal(statuses, ['100 1 INVITE', '200 1 CANCEL', '487 1 INVITE']);
  assert.ok(h.media.calls.every((c) => c.closed !== null));
});

test('over capacity: 503 with Retry-After', async () => {
  const h = new Harness();
  h.media.capacity = 0;
  await h.send(siprecInvite('cap'));
  assert.is(h.final().status, 503);
  assert.ok(getHeader(h.final().headers, 'Retry-After'));
});

test('OPTIONS gets 200 with Allow and Supported; unknown methods 405; BYE out of a dialog 481', async () => {
  const h = new Harness();
  await h.send(request({ method: 'OPTIONS', callId: 'o', cseq: 1 }));
  assert.is(h.final().status, 200);
  assert.match(headerValues(h.final().headers, 'Allow').join(','), 'INVITE');
  assert.match(getHeader(h.final().headers, 'Supported')!, 'siprec');
  await h.send(request({ method: 'SUBSCRIBE', callId: 'o2', cseq: 1 }));
  assert.is(h.final().status, 405);
  await h.send(request({ method: 'BYE', callId: 'nobody', cseq: 1, toTag: 'x' }));
  assert.is(h.final().status, 481);
});

test('an unknown Require option gets 420; too short a session interval 422 with Min-SE', async () => {
  const h = new Harness();
  await h.send(siprecInvite('req', { headers: ['Require: foo'] }));
  assert.is(h.final().status, 420);
  assert.match(getHeader(h.final().headers, 'Unsupported')!, 'foo');
  await h.send(siprecInvite('se', { headers: ['Session-Expires: 30', 'Supported: timer'] }));
  assert.is(h.final().status, 422);
  assert.is(getHeader(h.final().headers, 'Min-SE'), '90');
});

test('session timer: refreshed by re-INVITE it stays; not refreshed it ends with a BYE', async () => {
  const h = new Harness();
  const tag = await established(h, 'st', siprecInvite('st', { headers: ['Session-Expires: 120', 'Supported: timer'] }));
  assert.match(getHeader(h.final().headers, 'Session-Expires')!, '120;refresher=uac');
  assert.match(headerValues(h.final().headers, 'Require').join(','), 'timer');
  h.clock.advance(60_000);
  await h.send(siprecInvite('st', { cseq: 2, toTag: tag, xml: null, sdp: sdpOffer({ version: 1 }), headers: ['Session-Expires: 120', 'Supported: timer'] }));
  h.clock.advance(60_000);
  assert.is(h.media.calls[0]!.closed, null);
  h.clock.advance(30_000);
  assert.is(h.media.calls[0]!.closed, 'session expired');
  assert.ok(h.sent.some((m) => m.kind === 'request' && m.method === 'BYE'));
});

test('the media ending the call (no RTP) ends the session with a BYE to the SRC', async () => {
  const h = new Harness();
  await established(h, 'silent');
  h.media.calls[0]!.endFromMedia('silence');
  await new Promise((r) => setImmediate(r));
  const bye = h.sent.find((m) => m.kind === 'request' && m.method === 'BYE');
  assert.ok(bye);
  assert.is(h.server.list().length, 0);
  assert.is(h.statuses.at(-1)!.reason, 'silence');
});

test('requests from addresses outside the allowed list get 403', async () => {
  const h = new Harness({ allowed: (a) => a === '10.0.0.1' });
  await h.send(siprecInvite('deny'));
  assert.is(h.final().status, 403);
  assert.is(h.media.calls.length, 0);
});

test('a malformed request is answered 400 with the reason in a Warning; an oversized one 513', async () => {
  const h = new Harness();
  await h.send(Buffer.from('INVITE sip:srs SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-m\r\nCall-ID: m\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n\r\n'));
  assert.is(h.final().status, 400);
  assert.match(getHeader(h.final().headers, 'Warning')!, 'CSeq');
  const big = siprecInvite('big', { headers: [`X-Filler: ${'x'.repeat(70_000)}`] });
  await h.send(big);
  assert.is(h.final().status, 513);
  const d4 = siprecInvite('d4', { headers: [`X-Oversized-Filler: ${'y'.repeat(18_580)}`] });
  assert.ok(d4.length > 21_000);
  await h.send(d4);
  assert.is(h.final().status, 200);
});

test('malformed metadata XML is a 400 with no recording', async () => {
  const h = new Harness();
  await h.send(siprecInvite('d5', { xml: metadataXml('d5').slice(0, 900) }));
  assert.is(h.final().status, 400);
  assert.is(h.media.calls.length, 0);
});

test.run();
