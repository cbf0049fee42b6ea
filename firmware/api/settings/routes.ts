/**
 * Settings pages: recording parameters (录音参数), channel parameters
 * (通道参数, one channel or copied to several), the do-not-record list
 * (免录名单). Changes apply at once.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { channelPath } from '../channels/schema.ts';
import { refKey } from '../../app/vocabulary.ts';
import { channelPatch, channelsPatch, doNotRecordAdd, doNotRecordPath, doNotRecordReplace, recordingPatch } from './schema.ts';

export function settingsRoutes(router: Router, services: Services): void {
  const { settings } = services;

  router.get('/settings/recording', (ctx) => {
    ctx.body = settings.recording();
  });

  const rec = { body: recordingPatch };
  router.patch('/settings/recording', validate(rec), async (ctx) => {
    ctx.body = await settings.updateRecording(principalOf(ctx), inputOf(ctx, rec).body);
  });

  const one = { params: channelPath };
  router.get('/channels/:ref/settings', validate(one), (ctx) => {
    const ref = inputOf(ctx, one).params.ref;
    ctx.body = { ref: refKey(ref), ...settings.channel(ref) };
  });

  const patchOne = { params: channelPath, body: channelPatch };
  router.patch('/channels/:ref/settings', validate(patchOne), async (ctx) => {
    const { params, body } = inputOf(ctx, patchOne);
    ctx.body = { ref: refKey(params.ref), ...(await settings.updateChannel(principalOf(ctx), params.ref, body)) };
  });

  const many = { body: channelsPatch };
  router.post('/channels/settings', validate(many), async (ctx) => {
    const { channels, settings: patch } = inputOf(ctx, many).body;
    const configs = await settings.updateChannels(principalOf(ctx), channels, patch);
    ctx.body = { items: configs.map((c, i) => ({ ref: refKey(channels[i]!), ...c })) };
  });

  router.get('/settings/do-not-record', (ctx) => {
    ctx.body = { items: settings.doNotRecord() };
  });

  const add = { body: doNotRecordAdd };
  router.post('/settings/do-not-record', validate(add), async (ctx) => {
    ctx.body = { items: await settings.addDoNotRecord(principalOf(ctx), inputOf(ctx, add).body.entries) };
  });

  const replace = { body: doNotRecordReplace };
  router.put('/settings/do-not-record', validate(replace), async (ctx) => {
    ctx.body = { items: await settings.replaceDoNotRecord(principalOf(ctx), inputOf(ctx, replace).body.entries) };
  });

  const remove = { params: doNotRecordPath };
  router.delete('/settings/do-not-record/:number', validate(remove), async (ctx) => {
    ctx.body = { items: await settings.removeDoNotRecord(principalOf(ctx), [inputOf(ctx, remove).params.number]) };
  });
}
