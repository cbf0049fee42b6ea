import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { E1PortModel, type E1SimCall } from '../../firmware/sim/e1/e1-port-model.ts';
import { e1Board, matchChannels, speech } from './link-helpers.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';

const caller = speech(4, 11);
const callee = speech(4, 23);

function priCall(over: Partial<E1SimCall>): E1SimCall {
  return {
    timeslot: 5, from: 'a', atMs: 1000, calling: { digits: '13912345678', type: 'national' }, called: { digits: '88776655' },
    outcome: 'answered', ringMs: 1000, talkMs: 4000, clearedBy: 'b', audio: { a: caller, b: callee }, ...over,
  };
}

async function box(models: E1PortModel[]): Promise<SimBox> {
  return startSimBox({ sources: [], board: e1Board(), e1Ports: models });
}

test('a PRI call is recorded in stereo, side a left and side b right, with numbers, direction and answer', async () => {
  const port0 = new E1PortModel({
    signalling: 'pri',
    calls: [
      priCall({}),
      priCall({ timeslot: 17, from: 'b', atMs: 1500, calling: { digits: '61234567' }, called: { digits: '4008123123' }, outcome: 'busy', audio: undefined }),
    ],
  });
  const b = await box([port0, new E1PortModel({ signalling: 'pri' }), new E1PortModel({ signalling: 'pri' }), new E1PortModel({ signalling: 'pri' })]);
  try {
    await b.run(1500);
    const during = await b.api('/api/v1/e1/ports/0');
    assert.is(during.status, 200);
    const ts5 = during.body.timeslots.find((t: { timeslot: number }) => t.timeslot === 5);
    assert.is(ts5.phase, 'alerting');
    assert.is(ts5.recording, true);
    await b.run(6000);
    const found = await b.services.records.search(SYSTEM, { portType: 'e1', limit: 50, offset: 0 });
    const items = found.items as unknown as Array<Record<string, unknown>>;
    const answered = items.find((r) => r.channel === 5)!;
    assert.ok(answered, 'the answered call is indexed');
    assert.is(answered.port, 0);
    assert.is(answered.portType, 'e1');
    assert.is(answered.direction, 'incoming');
    assert.is(answered.callType, 'incoming-answered');
    assert.is(answered.remoteNumber, '13912345678');
    assert.is(answered.lineNumber, '88776655');
    assert.is(answered.answered, true);
    assert.is(answered.cause, '16 normal call clearing');
    assert.is(answered.stereo, true);
    assert.is(answered.startMode, 'signalling');
    const [left, right] = matchChannels(path.join(b.dataDir, answered.file as string), [caller, callee]);
    assert.ok(left!.correlation > 0.9, `side a in the left channel (${left!.correlation})`);
    assert.ok(right!.correlation > 0.9, `side b in the right channel (${right!.correlation})`);
    const busy = items.find((r) => r.channel === 17)!;
    assert.ok(busy, 'the busy call is indexed');
    assert.is(busy.direction, 'outgoing');
    assert.is(busy.answered, false);
    assert.is(busy.cause, '17 user busy');
    assert.is(busy.stopMode, 'busy-tone');
    assert.is(busy.remoteNumber, '4008123123');
  } finally {
    await b.stop();
  }
});

test('loss of signal on a side raises the port alarm and clears it when the signal returns', async () => {
  const model = new E1PortModel({ signalling: 'pri', alarms: [{ side: 'b', kind: 'los', fromMs: 1000, toMs: 3000 }] });
  const b = await box([model]);
  try {
    await b.run(2000);
    const alarms = b.services.alarms.active().map((a) => a.id);
    assert.ok(alarms.includes('e1-los:0'), `LOS raised (${alarms.join(', ')})`);
    const port = (await b.api('/api/v1/e1/ports/0')).body;
    assert.is(port.state, 'alarm');
    assert.equal(port.sides.b.alarms, ['los']);
    await b.run(3000);
    const after = b.services.alarms.active().map((a) => a.id);
    assert.not.ok(after.includes('e1-los:0'), 'LOS cleared');
    const status = (await b.api('/api/v1/e1/ports/0')).body;
    assert.is(status.sides.b.slips, 1, 'a slip as the receiver resynchronised');
  } finally {
    await b.stop();
  }
});

test.run();
