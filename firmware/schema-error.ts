import type { ZodError } from 'zod';

/** "field.path: message" for the first few issues of a failed validation. */
export function describeZodError(error: ZodError, max = 5): string {
  return error.issues
    .slice(0, max)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
