/** Patches of object schemas: what an update or an override may set. */
import { z } from 'zod';

/**
 * Every field of `schema` optional, with no default filled in (zod fills the
 * defaults of a plain `.partial()`). Strict patches refuse unknown fields;
 * others drop them.
 */
export function patchSchema<T extends z.ZodRawShape>(schema: z.ZodObject<T>, strict = true): z.ZodType<Partial<z.infer<z.ZodObject<T>>>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape) as Array<[string, z.ZodType]>) {
    shape[key] = (field instanceof z.ZodDefault ? (field as z.ZodDefault<z.ZodType>).unwrap() : field).optional();
  }
  return (strict ? z.strictObject(shape) : z.object(shape)) as unknown as z.ZodType<Partial<z.infer<z.ZodObject<T>>>>;
}

/** The patch without the fields given as undefined. */
export function definedOnly<T extends object>(patch: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out as T;
}
