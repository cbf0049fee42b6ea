import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommandExchange } from '../../firmware/linecard/command-exchange.ts';
import { AckStatus } from '../../firmware/linecard/messages.ts';

test('a command is sent once and done when its ACK arrives', () => {
  const ex = new CommandExchange({ timeoutMs: 100, retries: 2 });
  const { id, actions } = ex.submit({ type: 'ping' }, 0);
  assert.is(actions.length, 1);
  const send = actions[0]!;
  assert.ok(send.kind === 'send');
  const seq = send.kind === 'send' ? send.command.seq : -1;
  assert.equal(ex.onAck({ type: 'ack', seq, status: AckStatus.Ok }, 10), [{ kind: 'done', id }]);
  assert.not.ok(ex.busy);
});

test('an unanswered command is retried after the timeout, then fails with timeout', () => {
  const ex = new CommandExchange({ timeoutMs: 100, retries: 2 });
  const { id } = ex.submit({ type: 'ping' }, 0);
  assert.equal(ex.tick(99), []);
  const retry1 = ex.tick(100);
  assert.is(retry1.length, 1);
  assert.is(retry1[0]!.kind === 'send' && retry1[0]!.attempt, 2);
  const retry2 = ex.tick(200);
  assert.is(retry2[0]!.kind === 'send' && retry2[0]!.attempt, 3);
  assert.equal(ex.tick(300), [{ kind: 'failed', id, reason: 'timeout' }]);
  assert.is(ex.stats.timeouts, 1);
});

test('commands queue behind the one in flight and go out when it completes', () => {
  const ex = new CommandExchange({ timeoutMs: 100, retries: 0 });
  const first = ex.submit({ type: 'ping' }, 0);
  const second = ex.submit({ type: 'reset' }, 0);
  assert.equal(second.actions, []);
  const seq = first.actions[0]!.kind === 'send' ? first.actions[0]!.command.seq : -1;
  const after = ex.onAck({ type: 'ack', seq, status: AckStatus.Ok }, 5);
  assert.is(after[0]!.kind, 'done');
  assert.ok(after[1]!.kind === 'send' && after[1]!.command.type === 'reset');
});

test('a negative ACK fails the command as rejected with the card status', () => {
  const ex = new CommandExchange();
  const { id, actions } = ex.submit({ type: 'configure', channel: 99, audioEnabled: true, codec: 0, gainDb: 0 }, 0);
  const seq = actions[0]!.kind === 'send' ? actions[0]!.command.seq : -1;
  assert.equal(ex.onAck({ type: 'ack', seq, status: AckStatus.BadChannel }, 1), [
    { kind: 'failed', id, reason: 'rejected', status: AckStatus.BadChannel },
  ]);
});

test('a stray ACK for another sequence number is ignored and counted', () => {
  const ex = new CommandExchange();
  const { actions } = ex.submit({ type: 'ping' }, 0);
  const seq = actions[0]!.kind === 'send' ? actions[0]!.command.seq : -1;
  assert.equal(ex.onAck({ type: 'ack', seq: (seq + 1) & 0xff, status: AckStatus.Ok }, 1), []);
  assert.is(ex.stats.strayAcks, 1);
  assert.ok(ex.busy);
});

test('abortAll fails queued and in-flight commands as link-down', () => {
  const ex = new CommandExchange();
  const a = ex.submit({ type: 'ping' }, 0);
  const b = ex.submit({ type: 'ping' }, 0);
  assert.equal(ex.abortAll(), [
    { kind: 'failed', id: a.id, reason: 'link-down' },
    { kind: 'failed', id: b.id, reason: 'link-down' },
  ]);
  assert.not.ok(ex.busy);
});

test('sequence numbers skip 0 and wrap after 255', () => {
  const ex = new CommandExchange({ timeoutMs: 1, retries: 0 });
  const seen = new Set<number>();
  for (let i = 0; i < 600; i++) {
    const { actions } = ex.submit({ type: 'ping' }, i * 10);
    const s = actions.find((a) => a.kind === 'send');
    if (s?.kind === 'send') {
      seen.add(s.command.seq);
      ex.onAck({ type: 'ack', seq: s.command.seq, status: AckStatus.Ok }, i * 10);
    }
  }
  assert.not.ok(seen.has(0));
  assert.is(seen.size, 255);
});

test.run();
