/**
 * Email push (邮件推送): the settings (the authorization code is never
 * answered, only whether one is set), each recipient's last send, and the
 * test mail with the text given.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { ifRevisionOf, sendRevised, withRevision } from '../settings/revision.ts';
import { mailPatchSchema, testMailBody } from './schema.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function mailRoutes(router: Router, services: Services): void {
  const { mail } = services;
  const present = () => {
    const v = mail.settings();
    return { ...v, recipientStatus: v.recipientStatus.map((r) => ({ address: r.address, last: r.last ? { ...r.last, at: iso(r.last.at) } : null })) };
  };

  router.get('/settings/mail', (ctx) => {
    sendRevised(ctx, present(), mail.revision());
  });

  const patch = { body: withRevision(mailPatchSchema) };
  router.patch('/settings/mail', validate(patch), async (ctx) => {
    const { patch: p, revision } = inputOf(ctx, patch).body;
    await mail.update(principalOf(ctx), p, ifRevisionOf(ctx, revision));
    sendRevised(ctx, present(), mail.revision());
  });

  const test = { body: testMailBody };
  router.post('/mail/test', validate(test), async (ctx) => {
    const r = await mail.sendTest(principalOf(ctx), inputOf(ctx, test).body.text);
    ctx.body = { at: iso(r.at), sent: r.results.filter((x) => x.ok).length, failed: r.results.filter((x) => !x.ok).length, results: r.results };
  });
}
