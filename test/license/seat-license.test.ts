/**
 * The license's seat features, enforced by the services: a box on trial has
 * seats, screen pops and live listening; once activated with a license
 * without them a seat cannot sign in and nobody can listen, and the seat
 * settings switch on no more seats than the license counts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { seatClient, startSeatBox, SEAT_PASSWORD, type SeatBox } from '../support/seat-box.ts';
import { licenseFor, signedLicense, SIM_SERIAL } from './helpers.ts';

const login = (sb: SeatBox, account: string) =>
  fetch(`${sb.origin}/api/v1/seat/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, password: SEAT_PASSWORD, bearer: true }) });

test('seats, pops and listening follow the license: all on trial, none without the features, no more seats than counted', async () => {
  const sb = await startSeatBox();
  try {
    // On trial: four seats switched on, a seat signs in and listening starts.
    await seatClient(sb.origin, 'a0');
    const listen = await sb.box.services.listen.start(SYSTEM, analogRef(0));
    await listen.stop();

    // Activated with a license that has 2 seats and neither screen pop nor monitoring.
    await sb.box.services.license.install(SYSTEM, signedLicense(licenseFor(SIM_SERIAL, { analog: 8 }, { cloudSeats: 2 })));
    assert.is((await login(sb, 'a0')).status, 200, 'a licensed seat still signs in');
    const refused = await sb.box.services.listen.start(SYSTEM, analogRef(0)).then(() => null, (e: { code?: string }) => e.code);
    assert.is(refused, 'not_licensed');
    // Four seats are on already; switching on a fifth is refused, switching two off is not.
    const more = await sb.admin.json('/api/v1/seats', { method: 'POST', body: { seats: [{ ref: 'analog-0-4', enabled: true, account: 'e4', password: SEAT_PASSWORD }] } });
    assert.equal([more.status, more.body.error?.code], [403, 'not_licensed']);
    const fewer = await sb.admin.json('/api/v1/seats', { method: 'POST', body: { seats: [{ ref: 'analog-0-2', enabled: false }, { ref: 'analog-0-3', enabled: false }] } });
    assert.is(fewer.status, 200);

    // A license without cloud seats: no seat signs in.
    await sb.box.services.license.install(SYSTEM, signedLicense({ ...licenseFor(SIM_SERIAL, { analog: 8 }), id: 'L-TEST-2' }));
    const none = await login(sb, 'a0');
    assert.equal([none.status, ((await none.json()) as { error?: { code?: string } }).error?.code], [403, 'not_licensed']);
  } finally {
    await sb.stop();
  }
});

test.run();
