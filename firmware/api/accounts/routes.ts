/**
 * Accounts (账号管理) and the web access settings: multi-user operation,
 * automatic sign-out, 账号抢登 and the allowed address ranges
 * (WEB允许访问权限配置). Changes are for administrators; the services refuse others.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { accessBody, accountCreate, accountPatch, accountPath } from './schema.ts';

export function accountRoutes(router: Router, services: Services): void {
  const { accounts, auth } = services;

  router.get('/accounts', (ctx) => {
    ctx.body = { items: accounts.list(principalOf(ctx)) };
  });

  const create = { body: accountCreate };
  router.post('/accounts', validate(create), async (ctx) => {
    ctx.body = await accounts.create(principalOf(ctx), inputOf(ctx, create).body);
    ctx.status = 201;
  });

  const patch = { params: accountPath, body: accountPatch };
  router.patch('/accounts/:username', validate(patch), async (ctx) => {
    const { params, body } = inputOf(ctx, patch);
    ctx.body = await accounts.update(principalOf(ctx), params.username, body);
  });

  const one = { params: accountPath };
  router.delete('/accounts/:username', validate(one), async (ctx) => {
    await accounts.remove(principalOf(ctx), inputOf(ctx, one).params.username);
    ctx.status = 204;
  });

  router.get('/settings/access', (ctx) => {
    ctx.body = auth.access();
  });

  const access = { body: accessBody };
  router.put('/settings/access', validate(access), async (ctx) => {
    ctx.body = await auth.updateAccess(principalOf(ctx), inputOf(ctx, access).body);
  });
}
