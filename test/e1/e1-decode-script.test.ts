import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VECTORS, vectorJson } from './helpers.ts';

function decode(args: string[]): { status: number | null; lines: any[]; stderr: string } {
  const r = spawnSync('scripts/e1-decode', args, { encoding: 'utf8' });
  return { status: r.status, lines: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr: r.stderr };
}

test('scripts/e1-decode --pri: one direction prints its 28 frames as in frames.json', () => {
  const { status, lines } = decode(['--pri', `${VECTORS}/pri_sim/ts16_hdlc_user2net.bin`]);
  assert.is(status, 0);
  const expected = vectorJson('pri_sim/frames.json').frames.filter((f: { dir: string }) => f.dir === 'user->net');
  const frames = lines.filter((l) => l.type === 'frame');
  assert.equal(
    frames.map((f) => [f.hex, f.closing_flag_octet, f.fcs]),
    expected.map((f: { hex: string; ts16_closing_flag_octet: number }) => [f.hex, f.ts16_closing_flag_octet, 'ok']),
  );
  assert.ok(lines.some((l) => l.type === 'q931' && l.message === 'SETUP' && l.calling?.digits === '61234567'));
});

test('scripts/e1-decode --pri with both sides: the four calls', () => {
  const { lines } = decode(['--pri', '--side-a', `${VECTORS}/pri_sim/ts16_hdlc_net2user.bin`, '--side-b', `${VECTORS}/pri_sim/ts16_hdlc_user2net.bin`]);
  assert.is(lines.filter((l) => l.type === 'frame').length, 56);
  const calls = lines.filter((l) => l.type === 'call');
  assert.equal(
    calls.map((c) => [c.call_ref, c.originating_side, c.calling.digits, c.called.digits, c.timeslot, c.outcome, c.cleared_by]),
    [
      [1, 'a', '13912345678', '88776655', 1, 'answered', 'a'],
      [2, 'a', '01012345678', '88776656', 2, 'busy', 'b'],
      [1, 'b', '61234567', '13800138000', 17, 'answered', 'b'],
      [2, 'b', '88776655', '4008123123', 20, 'no-answer', 'b'],
    ],
  );
});

test('scripts/e1-decode --cas with both sides finds the voice files beside them: line signals, MF tones, calls', () => {
  const { status, lines } = decode(['--cas', '--side-a', `${VECTORS}/r2_china/ts16_cas_AtoB.bin`, '--side-b', `${VECTORS}/r2_china/ts16_cas_BtoA.bin`]);
  assert.is(status, 0);
  assert.ok(lines.some((l) => l.type === 'line' && l.abcd === '0011'));
  assert.is(lines.filter((l) => l.type === 'mf' && l.on).length, 120);
  assert.equal(
    lines.filter((l) => l.type === 'call').map((c) => [c.timeslot, c.called.digits, c.calling.digits, c.outcome, c.cleared_by]),
    [
      [1, '62345678', '88776655', 'answered', 'a'],
      [21, '88776600', '13912345678', 'answered', 'a'],
      [1, '62340000', '88776655', 'busy', 'a'],
    ],
  );
});

test('scripts/e1-decode: usage errors exit 2, unreadable files 1', () => {
  assert.is(decode([]).status, 2);
  assert.is(decode(['--pri', '--bogus']).status, 2);
  assert.is(decode(['--pri', '/nonexistent/ts16.bin']).status, 1);
});

test.run();
