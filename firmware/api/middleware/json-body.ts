/** Reads a small JSON request body: wrong content type, oversize or malformed JSON are clear 400s. */
import type { Context } from 'koa';
import { RecorderError } from '../../errors.ts';

export const MAX_JSON_BODY = 64 * 1024;

export async function readJsonBody(ctx: Context): Promise<unknown> {
  if (!ctx.is('application/json')) throw new RecorderError('BAD_REQUEST', 'the request body must be application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY) throw new RecorderError('BAD_REQUEST', `the request body is larger than ${MAX_JSON_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw new RecorderError('BAD_REQUEST', `the request body is not valid JSON: ${(e as Error).message}`);
  }
}
