/**
 * Recordings for the web UI: playback in a browser (every codec as PCM WAV,
 * with `Range`), waveforms, downloads under caller-callee-time names, batch
 * downloads as one zip (picked ids or a whole search) and the search as a
 * CSV or XLSX call-detail table. Registered before the resource's `:id`
 * routes so `zip` and `export.csv` are not taken for ids.
 */
import type { Context } from 'koa';
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import type { TableDownload } from '../../app/export-service.ts';
import type { ZipDownload } from '../../app/download-service.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { sendAudio } from './send-audio.ts';
import { exportQuery, peaksQuery, zipBody } from './media-schema.ts';
import { recordPath, recordQuery, searchOf } from './schema.ts';

export function recordMediaRoutes(router: Router, services: Services): void {
  const { playback, downloads, exports } = services;

  const one = { params: recordPath };
  router.get('/records/:id/play', validate(one), async (ctx) => {
    const { id } = inputOf(ctx, one).params;
    await sendAudio(ctx, (range) => playback.play(principalOf(ctx), id, range), 'inline');
  });

  const peaks = { params: recordPath, query: peaksQuery };
  router.get('/records/:id/peaks', validate(peaks), async (ctx) => {
    const { params, query } = inputOf(ctx, peaks);
    ctx.body = await playback.peaks(principalOf(ctx), params.id, query.points);
  });

  router.get('/records/:id/download', validate(one), async (ctx) => {
    const { id } = inputOf(ctx, one).params;
    await sendAudio(ctx, (range) => downloads.file(principalOf(ctx), id, range), 'attachment');
  });

  const picked = { body: zipBody };
  router.post('/records/zip', validate(picked), async (ctx) => {
    sendZip(ctx, await downloads.zipOf(principalOf(ctx), inputOf(ctx, picked).body.ids));
  });

  const search = { query: recordQuery };
  router.get('/records/zip', validate(search), async (ctx) => {
    sendZip(ctx, await downloads.zipOfSearch(principalOf(ctx), searchOf(inputOf(ctx, search).query)));
  });

  const table = { query: exportQuery };
  for (const format of ['csv', 'xlsx'] as const) {
    router.get(`/records/export.${format}`, validate(table), async (ctx) => {
      const { lang, ...q } = inputOf(ctx, table).query;
      sendTable(ctx, await exports.recordings(principalOf(ctx), searchOf(q), { format, lang }));
    });
  }
}

function sendZip(ctx: Context, zip: ZipDownload): void {
  ctx.type = 'application/zip';
  ctx.attachment(zip.fileName);
  ctx.set('X-Recording-Count', String(zip.count));
  if (zip.size !== null) ctx.length = zip.size;
  ctx.body = zip.stream;
}

export function sendTable(ctx: Context, t: TableDownload): void {
  ctx.type = t.contentType;
  ctx.attachment(t.fileName);
  ctx.body = t.stream;
}
