/** Errors become `{error: {code, message}}` with the status of their stable code; others are logged and hidden. */
import type { Context, Next } from 'koa';
import { RecorderError, isRecorderError } from '../../errors.ts';

export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

export function errorResponses(log: ErrorLogger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new RecorderError('NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    } catch (e) {
      const err = isRecorderError(e) ? e : new RecorderError('INTERNAL');
      if (!isRecorderError(e)) log.error({ err: e, path: ctx.path }, 'request failed');
      ctx.status = err.httpStatus;
      const retryAfterSeconds = err.detail?.retryAfterSeconds;
      if (typeof retryAfterSeconds === 'number') ctx.set('Retry-After', String(retryAfterSeconds));
      ctx.body = { error: { code: err.code, message: err.message, ...publicDetail(err) } };
    }
  };
}

/** The parts of an error's detail a client may see: when to retry, the revision a page is at now. */
function publicDetail(err: RecorderError): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['retryAfterSeconds', 'revision']) if (err.detail?.[key] !== undefined) out[key] = err.detail[key];
  return out;
}
