import { authedFetch } from '../support/api-client.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { E1PortModel } from '../../firmware/sim/e1/e1-port-model.ts';
import { e1Board } from './link-helpers.ts';

async function send(b: SimBox, method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await authedFetch(`http://127.0.0.1:${b.port}${pathname}`, {
    method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

test('E1 ports: list, one with its timeslots, settings changed at once, checked and logged', async () => {
  const b = await startSimBox({ sources: [], board: e1Board(), e1Ports: [0, 1, 2, 3].map(() => new E1PortModel({ signalling: 'pri' })) });
  try {
    await b.run(500);
    const list = await b.api('/api/v1/e1/ports');
    assert.is(list.status, 200);
    assert.is(list.body.items.length, 4);
    assert.is(list.body.items[0].settings.signalling, 'pri');
    const one = await b.api('/api/v1/e1/ports/2');
    assert.is(one.body.timeslots.length, 30);
    assert.not.ok(one.body.timeslots.some((t: { timeslot: number }) => t.timeslot === 0 || t.timeslot === 16));

    const changed = await send(b, 'PATCH', '/api/v1/e1/ports/2', { signalling: 'china-no1', timeslots: '1-10', storage: 'mixed', enabled: false });
    assert.is(changed.status, 200);
    assert.is(changed.body.settings.signalling, 'china-no1');
    assert.is(changed.body.state, 'disabled');
    assert.is(changed.body.timeslots.filter((t: { recorded: boolean }) => t.recorded).length, 0, 'a port switched off records nothing');
    await b.run(100);
    assert.equal(b.card.e1PortSettings(2), { enabled: false, crc4: true }, 'the card was told');
    const back = await send(b, 'PATCH', '/api/v1/e1/ports/2', { enabled: true });
    assert.is(back.body.timeslots.filter((t: { recorded: boolean }) => t.recorded).length, 10);

    for (const [body, field] of [[{ timeslots: '16' }, 'timeslots'], [{ signalling: 'ss7' }, 'signalling'], [{ colour: 'red' }, 'colour']] as const) {
      const bad = await send(b, 'PATCH', '/api/v1/e1/ports/1', body);
      assert.is(bad.status, 400, JSON.stringify(body));
      assert.is(bad.body.error.code, 'BAD_REQUEST');
      assert.match(bad.body.error.message, field);
    }
    const missing = await send(b, 'PATCH', '/api/v1/e1/ports/7', { enabled: false });
    assert.is(missing.status, 404);
    assert.is(missing.body.error.code, 'E1_PORT_NOT_FOUND');

    const log = await b.api('/api/v1/operations?item=e1-settings&limit=10');
    assert.is(log.status, 200);
    assert.ok(log.body.items.length >= 2, 'changes are in the operation log');

    const channels = await b.api('/api/v1/channels');
    const e1 = channels.body.items.filter((c: { ref: string }) => c.ref.startsWith('e1-'));
    assert.is(e1.length, 120, 'every voice timeslot of every port is a channel');
    const ch = await b.api('/api/v1/channels/e1-2-5');
    assert.is(ch.status, 200);
    const renamed = await send(b, 'PATCH', '/api/v1/channels/e1-2-5/settings', { name: 'Sales trunk 5' });
    assert.is(renamed.status, 200);
    assert.is((await b.api('/api/v1/channels/e1-2-5')).body.name, 'Sales trunk 5');
    assert.is((await send(b, 'PATCH', '/api/v1/channels/e1-2-16/settings', { name: 'x' })).status, 404);
  } finally {
    await b.stop();
  }
});

test('a box without E1 ports answers E1 requests with a clear error', async () => {
  const b = await startSimBox({ sources: [], board: e1Board(false) });
  try {
    for (const [method, p] of [['GET', '/api/v1/e1/ports'], ['GET', '/api/v1/e1/ports/0'], ['PATCH', '/api/v1/e1/ports/0']] as const) {
      const r = await send(b, method, p, method === 'PATCH' ? { enabled: true } : undefined);
      assert.is(r.status, 404, `${method} ${p}`);
      assert.is(r.body.error.code, 'E1_NOT_AVAILABLE');
      assert.match(r.body.error.message, 'RDT');
    }
    const channels = await b.api('/api/v1/channels');
    assert.not.ok(channels.body.items.some((c: { ref: string }) => c.ref.startsWith('e1-')));
  } finally {
    await b.stop();
  }
});

test.run();
