/** Sends audio with `Range` support: 206 with Content-Range for a range, 416 with the size for an unusable one. */
import type { Context } from 'koa';
import type { AudioRange, OpenedAudio } from '../../app/record-service.ts';
import { isRecorderError } from '../../errors.ts';
import { parseRangeHeader } from './range-header.ts';

export async function sendAudio(
  ctx: Context,
  open: (range: (size: number) => AudioRange | null) => Promise<OpenedAudio>,
  disposition: 'inline' | 'attachment',
): Promise<void> {
  const header = ctx.get('range');
  let opened: OpenedAudio;
  try {
    opened = await open((size) => parseRangeHeader(header, size));
  } catch (e) {
    if (isRecorderError(e) && e.code === 'RANGE_NOT_SATISFIABLE') {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${String(e.detail?.size ?? '*')}`);
      ctx.body = '';
      return;
    }
    throw e;
  }
  const { range, size } = opened;
  ctx.type = opened.contentType;
  ctx.set('Accept-Ranges', 'bytes');
  ctx.attachment(opened.fileName, { type: disposition });
  if (opened.partial) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  }
  ctx.length = range.end - range.start + 1;
  ctx.body = opened.stream;
}
