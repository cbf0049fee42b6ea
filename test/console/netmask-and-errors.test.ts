import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskOfPrefix, prefixOfMask } from '../../firmware/console/netmask.ts';
import { errorText, signInRefusal } from '../../firmware/console/console-errors.ts';
import { RecorderError } from '../../firmware/errors.ts';

test('prefix lengths and netmasks convert both ways; odd ones are refused', () => {
  assert.is(maskOfPrefix(24), '255.255.255.0');
  assert.is(maskOfPrefix(8), '255.0.0.0');
  assert.is(maskOfPrefix(30), '255.255.255.252');
  assert.is(maskOfPrefix(31), null);
  assert.is(maskOfPrefix(7), null);
  assert.is(maskOfPrefix(24.5), null);
  for (let p = 8; p <= 30; p++) assert.is(prefixOfMask(maskOfPrefix(p)!), p);
  assert.is(prefixOfMask('255.255.0.255'), null, 'not contiguous');
  assert.is(prefixOfMask('255.255.256.0'), null);
  assert.is(prefixOfMask('255.255.255'), null);
});

test('an error shows its code\'s message, the particular reason, and the code', () => {
  assert.is(errorText(new RecorderError('forbidden')), 'Error: The account may not do this [forbidden]');
  assert.is(errorText(new RecorderError('BAD_REQUEST', 'IP settings: gateway missing')), 'Error: Invalid request: IP settings: gateway missing [BAD_REQUEST]');
  assert.is(errorText(new Error('EACCES /etc/secret')), 'Error: Internal error [INTERNAL]', 'no internal detail reaches the screen');
});

test('a refused sign-in: wrong credentials say only that; other refusals say why', () => {
  assert.is(signInRefusal(new RecorderError('bad_credentials')), 'Login incorrect.');
  assert.is(signInRefusal(new RecorderError('account_disabled')), 'Sign-in refused: The account is disabled [account_disabled]');
});

test.run();
