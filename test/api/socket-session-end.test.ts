/**
 * A live socket lives no longer than the session it was opened with: a seat
 * switched off, or an account switched off, loses its socket (close code
 * 4401, after a `signed-out` message) and with it its events, pops and live
 * audio; a socket whose session goes on stays open.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type WebSocket from 'ws';
import { seatClient, startSeatBox, wsClient, type SeatBox } from '../support/seat-box.ts';
import { signIn } from '../support/api-client.ts';

let sb: SeatBox;

test.before(async () => {
  sb = await startSeatBox({ totalS: 30 });
});

test.after(async () => {
  await sb?.stop();
});

/** The close code of a socket, or null when it is still open after `ms`. */
function closeCode(ws: WebSocket, ms: number): Promise<number | null> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    ws.once('close', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

test('a seat switched off loses its socket; the other seats keep theirs', async () => {
  const b1 = await wsClient(sb.origin, (await seatClient(sb.origin, 'b1')).token);
  const a0 = await wsClient(sb.origin, (await seatClient(sb.origin, 'a0')).token);
  try {
    await b1.waitFor((m) => m.type === 'hello');
    const off = await sb.admin.json('/api/v1/seats/analog-0-1', { method: 'PATCH', body: { enabled: false } });
    assert.is(off.status, 200);
    assert.is(await closeCode(b1.ws, 10_000), 4401, 'the switched-off seat is disconnected');
    assert.ok(b1.messages.some((m) => m.type === 'signed-out'), 'and told why');
    assert.is(await closeCode(a0.ws, 3_000), null, 'the other seat stays connected');
    const seats = (await sb.admin.json('/api/v1/seats')).body.items;
    assert.not.ok(seats.find((s: any) => s.ref === 'analog-0-1').online, '座席状态 shows it offline');
  } finally {
    b1.close();
    a0.close();
  }
});

test('an account switched off loses its socket; the administrator keeps his', async () => {
  const multi = await sb.admin.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 30, loginConflict: 'replace', allowList: { enabled: false, ranges: [] } } });
  assert.is(multi.status, 200);
  const created = await sb.admin.json('/api/v1/accounts', { method: 'POST', body: { username: 'clerk', password: 'Clerk-pass-1', role: 'user' } });
  assert.is(created.status, 201);
  const first = await signIn(sb.origin, 'clerk', 'Clerk-pass-1');
  const changed = await first.json('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'Clerk-pass-1', newPassword: 'Clerk-pass-2' } });
  assert.is(changed.status, 204);
  const clerk = await signIn(sb.origin, 'clerk', 'Clerk-pass-2');
  const clerkWs = await wsClient(sb.origin, clerk.token);
  const adminWs = await wsClient(sb.origin, sb.admin.token);
  try {
    await clerkWs.waitFor((m) => m.type === 'hello');
    const off = await sb.admin.json('/api/v1/accounts/clerk', { method: 'PATCH', body: { enabled: false } });
    assert.is(off.status, 200);
    assert.is(await closeCode(clerkWs.ws, 10_000), 4401);
    assert.is(await closeCode(adminWs.ws, 3_000), null, "the administrator's socket stays open");
  } finally {
    clerkWs.close();
    adminWs.close();
  }
});

test.run();
