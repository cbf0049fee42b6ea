/**
 * The one validation step of the API: the route's zod schemas parse the
 * query, the path parameters and the JSON body; the handler reads the typed
 * result from `ctx.state.input`. A failure is a 400 naming the field.
 */
import type { Context, Next } from 'koa';
import type { z } from 'zod';
import { RecorderError } from '../../errors.ts';
import { describeZodError } from '../../schema-error.ts';
import { readJsonBody } from './json-body.ts';

export interface Schemas {
  query?: z.ZodType;
  params?: z.ZodType;
  body?: z.ZodType;
}

export type Input<S extends Schemas> = {
  query: S['query'] extends z.ZodType ? z.output<S['query']> : undefined;
  params: S['params'] extends z.ZodType ? z.output<S['params']> : undefined;
  body: S['body'] extends z.ZodType ? z.output<S['body']> : undefined;
};

function parse(schema: z.ZodType, value: unknown, where: string): unknown {
  const r = schema.safeParse(value);
  if (!r.success) throw new RecorderError('BAD_REQUEST', `${where}: ${describeZodError(r.error)}`);
  return r.data;
}

export function validate<S extends Schemas>(schemas: S) {
  return async (ctx: Context, next: Next): Promise<void> => {
    // Several validate steps may run on one route (path first, body after a check of the resource).
    const input = (ctx.state.input ??= {}) as Record<string, unknown>;
    if (schemas.params) input.params = parse(schemas.params, (ctx as unknown as { params: unknown }).params, 'path');
    if (schemas.query) input.query = parse(schemas.query, ctx.query, 'query');
    if (schemas.body) input.body = parse(schemas.body, await readJsonBody(ctx), 'body');
    await next();
  };
}

/** The validated input of a route (after `validate(schemas)`). */
export function inputOf<S extends Schemas>(ctx: Context, _schemas: S): Input<S> {
  return ctx.state.input as Input<S>;
}
