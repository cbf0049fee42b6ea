/**
 * Chain of custody (docs/custody.md): the device's public key (PEM), key
 * rotation, a recording's signed statement, and the box's check of its own
 * chain. A recording's check against its statement is in
 * `GET|POST /records/:id/verify`.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import type { CustodyService } from '../../app/custody-service.ts';
import { RecorderError } from '../../errors.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { recordPath } from '../records/schema.ts';
import { presentChainReport, presentStatement } from './presenter.ts';

export function custodyRoutes(router: Router, services: Services): void {
  const custody = (): CustodyService => {
    if (!services.custody) throw new RecorderError('CUSTODY_UNAVAILABLE');
    return services.custody;
  };

  router.get('/device/public-key', (ctx) => {
    const k = custody().deviceKey();
    ctx.type = 'application/x-pem-file';
    ctx.attachment(`device-key-${k.fingerprint.slice(0, 16)}.pem`);
    ctx.body = k.publicKeyPem;
  });

  router.post('/device/key/rotate', async (ctx) => {
    try {
      ctx.body = await custody().rotateKey(principalOf(ctx));
    } catch (e) {
      if (e instanceof RecorderError) throw e;
      throw new RecorderError('KEY_ROTATION_FAILED', (e as Error).message);
    }
  });

  router.get('/custody/chain/verify', async (ctx) => {
    ctx.body = presentChainReport(await custody().verifyChain());
  });

  const one = { params: recordPath };
  router.get('/records/:id/statement', validate(one), async (ctx) => {
    const id = inputOf(ctx, one).params.id;
    const s = await custody().statementOf(id);
    if (!s) throw new RecorderError('STATEMENT_NOT_FOUND', `recording ${id} has no signed statement`);
    ctx.body = presentStatement(s, custody().deviceKey().fingerprint);
  });
}
