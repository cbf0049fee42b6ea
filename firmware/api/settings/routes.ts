/**
 * Settings pages: recording parameters (录音参数), channel parameters
 * (通道参数, one channel or copied to several), the do-not-record list
 * (免录名单). Changes apply at once.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { channelPath } from '../channels/schema.ts';
import { refKey } from '../../app/vocabulary.ts';
import { channelPatch, channelsPatch, doNotRecordAdd, doNotRecordPath, doNotRecordReplace, recordingPatch } from './schema.ts';
import { ifRevisionOf, sendRevised, withRevision } from './revision.ts';

export function settingsRoutes(router: Router, services: Services): void {
  const { settings } = services;

  router.get('/settings/recording', (ctx) => {
    sendRevised(ctx, settings.recording(), settings.recordingRevision());
  });

  const rec = { body: withRevision(recordingPatch) };
  router.patch('/settings/recording', validate(rec), async (ctx) => {
    const { patch, revision } = inputOf(ctx, rec).body;
    const value = await settings.updateRecording(principalOf(ctx), patch, ifRevisionOf(ctx, revision));
    sendRevised(ctx, value, settings.recordingRevision());
  });

  const one = { params: channelPath };
  router.get('/channels/:ref/settings', validate(one), (ctx) => {
    const ref = inputOf(ctx, one).params.ref;
    sendRevised(ctx, { ref: refKey(ref), ...settings.channel(ref) }, settings.channelRevision(ref));
  });

  const patchOne = { params: channelPath, body: withRevision(channelPatch) };
  router.patch('/channels/:ref/settings', validate(patchOne), async (ctx) => {
    const { params, body } = inputOf(ctx, patchOne);
    const value = await settings.updateChannel(principalOf(ctx), params.ref, body.patch, ifRevisionOf(ctx, body.revision));
    sendRevised(ctx, { ref: refKey(params.ref), ...value }, settings.channelRevision(params.ref));
  });

  const many = { body: channelsPatch };
  router.post('/channels/settings', validate(many), async (ctx) => {
    const { channels, settings: patch } = inputOf(ctx, many).body;
    const configs = await settings.updateChannels(principalOf(ctx), channels, patch);
    ctx.body = { items: configs.map((c, i) => ({ ref: refKey(channels[i]!), ...c })) };
  });

  const sendList = (ctx: Context, items: readonly unknown[]) => sendRevised(ctx, { items }, settings.doNotRecordRevision());
  router.get('/settings/do-not-record', (ctx) => {
    sendList(ctx, settings.doNotRecord());
  });

  const add = { body: doNotRecordAdd };
  router.post('/settings/do-not-record', validate(add), async (ctx) => {
    const { entries, revision } = inputOf(ctx, add).body;
    sendList(ctx, await settings.addDoNotRecord(principalOf(ctx), entries, ifRevisionOf(ctx, revision)));
  });

  const replace = { body: doNotRecordReplace };
  router.put('/settings/do-not-record', validate(replace), async (ctx) => {
    const { entries, revision } = inputOf(ctx, replace).body;
    sendList(ctx, await settings.replaceDoNotRecord(principalOf(ctx), entries, ifRevisionOf(ctx, revision)));
  });

  const remove = { params: doNotRecordPath };
  router.delete('/settings/do-not-record/:number', validate(remove), async (ctx) => {
    sendList(ctx, await settings.removeDoNotRecord(principalOf(ctx), [inputOf(ctx, remove).params.number], ifRevisionOf(ctx)));
  });
}
