/** License and trial (License升级, 设备激活): the state, and installing a license file (the file as the body). */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { RecorderError } from '../../errors.ts';
import { principalOf } from '../middleware/principal.ts';

const MAX_LICENSE_BODY = 16 * 1024;

export function licenseRoutes(router: Router, services: Services): void {
  const { license } = services;

  router.get('/license', (ctx) => {
    ctx.body = license.status();
  });

  router.post('/license', async (ctx) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_LICENSE_BODY) throw new RecorderError('license_invalid', `a license file is at most ${MAX_LICENSE_BODY} bytes`);
      chunks.push(chunk as Buffer);
    }
    ctx.body = await license.install(principalOf(ctx), Buffer.concat(chunks).toString('utf8'));
  });
}
