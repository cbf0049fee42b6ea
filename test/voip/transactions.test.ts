/** Server transactions alone (RFC 3261 section 17.2): a fake transport and the virtual clock's timers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { ServerTransactions, type Peer, type ServerTransaction } from '../../firmware/voip/sip/transactions.ts';
import { parseSipMessage, type SipRequest } from '../../firmware/voip/sip/sip-message.ts';
import { request } from './support/sip-client.ts';

const UDP: Peer = { transport: 'udp', address: '192.0.2.5', port: 5070 };
const TCP: Peer = { transport: 'tcp', address: '192.0.2.5', port: 40000, connection: 1 };

function setup() {
  const clock = new VirtualClock(0);
  const wire: string[] = [];
  const seen: string[] = [];
  let last: ServerTransaction | null = null;
  const layer = new ServerTransactions(
    { send: (d) => wire.push(d.toString().split('\r\n')[0]!), timers: clock, server: 'test', newTag: () => 'tag1' },
    {
      request: (req, tx) => { seen.push(req.method); last = tx; },
      ack: (req) => seen.push(`ack ${req.method}`),
      cancelled: () => seen.push('cancelled'),
      ackTimeout: () => seen.push('ack-timeout'),
    },
  );
  const feed = (b: Buffer, peer = UDP) => {
    const p = parseSipMessage(b);
    if (!p.ok) throw new Error(p.reason);
    layer.receive(p.message as SipRequest, peer);
  };
  return { clock, wire, seen, layer, feed, tx: () => last! };
}

test('INVITE: 100 at once; a non-2xx final is retransmitted (G) until the ACK, which is absorbed, then the state goes (I)', () => {
  const t = setup();
  t.feed(request({ method: 'INVITE', callId: 'x', cseq: 1, branch: 'z9hG4bK-a' }));
  assert.equal(t.wire, ['SIP/2.0 100 Trying']);
  t.feed(request({ method: 'INVITE', callId: 'x', cseq: 1, branch: 'z9hG4bK-a' }));
  assert.is(t.wire.length, 2, 'a retransmitted INVITE gets the 100 again');
  assert.equal(t.seen, ['INVITE'], 'the TU sees it once');
  t.tx().respond(486, 'Busy Here');
  t.clock.advance(500 + 1000);
  assert.equal(t.wire.slice(2), ['SIP/2.0 486 Busy Here', 'SIP/2.0 486 Busy Here', 'SIP/2.0 486 Busy Here']);
  t.feed(request({ method: 'ACK', callId: 'x', cseq: 1, branch: 'z9hG4bK-a', toTag: 'tag1' }));
  t.clock.advance(10_000);
  assert.is(t.wire.length, 5);
  assert.equal(t.seen, ['INVITE'], 'the ACK of a non-2xx never reaches the TU');
  assert.is(t.layer.size, 0);
});

test('INVITE answered 2xx with no ACK: retransmitted with doubling intervals capped at T2, then ack-timeout at 64*T1', () => {
  const t = setup();
  t.feed(request({ method: 'INVITE', callId: 'x', cseq: 1 }));
  t.tx().respond(200, 'OK');
  const times: number[] = [];
  for (let ms = 0; ms < 32_000; ms += 100) { const n = t.wire.length; t.clock.advance(100); if (t.wire.length > n) times.push(t.clock.now()); }
  assert.equal(times.slice(0, 5), [500, 1500, 3500, 7500, 11500]);
  assert.ok(t.seen.includes('ack-timeout'));
});

test('non-INVITE: a retransmission gets the same final response; the transaction lives 64*T1 over UDP and not at all over TCP', () => {
  const t = setup();
  const bye = request({ method: 'OPTIONS', callId: 'y', cseq: 5, branch: 'z9hG4bK-o' });
  t.feed(bye);
  t.tx().respond(200, 'OK');
  t.feed(bye);
  assert.equal(t.wire, ['SIP/2.0 200 OK', 'SIP/2.0 200 OK']);
  assert.equal(t.seen, ['OPTIONS']);
  t.clock.advance(32_000);
  assert.is(t.layer.size, 0);
  t.feed(request({ method: 'OPTIONS', callId: 'y', cseq: 6, branch: 'z9hG4bK-p', transport: 'TCP' }), TCP);
  t.tx().respond(200, 'OK');
  t.clock.advance(0);
  assert.is(t.layer.size, 0);
});

test('over TCP a final response is not retransmitted', () => {
  const t = setup();
  t.feed(request({ method: 'INVITE', callId: 'z', cseq: 1, transport: 'TCP' }), TCP);
  t.tx().respond(200, 'OK');
  t.clock.advance(10_000);
  assert.equal(t.wire, ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
});

test('CANCEL of an unknown INVITE gets 481; branch differences keep transactions apart', () => {
  const t = setup();
  t.feed(request({ method: 'CANCEL', callId: 'q', cseq: 1, branch: 'z9hG4bK-none' }));
  assert.equal(t.wire, ['SIP/2.0 481 Call/Transaction Does Not Exist']);
  t.feed(request({ method: 'OPTIONS', callId: 'q', cseq: 1, branch: 'z9hG4bK-1' }));
  t.feed(request({ method: 'OPTIONS', callId: 'q', cseq: 1, branch: 'z9hG4bK-2' }));
  assert.equal(t.seen, ['OPTIONS', 'OPTIONS']);
});

test.run();
