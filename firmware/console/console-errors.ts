/**
 * What the console shows for a failed command: the stable code's message
 * (the same table the HTTP API answers from, `firmware/errors.ts`), the
 * particular reason when the service gave one, and the code in brackets so
 * a technician can quote it. Anything else is an internal error, logged with
 * its detail and shown without it.
 */
import { ERROR_CODES, isRecorderError } from '../errors.ts';

export function errorText(e: unknown): string {
  if (!isRecorderError(e)) return `Error: ${ERROR_CODES.INTERNAL.message} [INTERNAL]`;
  const general = ERROR_CODES[e.code].message;
  const reason = e.message && e.message !== general ? `: ${e.message}` : '';
  return `Error: ${general}${reason} [${e.code}]`;
}

/** The message of a refused sign-in, as the login prompt shows it. */
export function signInRefusal(e: unknown): string {
  if (!isRecorderError(e)) return `Sign-in failed: ${ERROR_CODES.INTERNAL.message}`;
  if (e.code === 'bad_credentials') return 'Login incorrect.';
  return `Sign-in refused: ${e.message} [${e.code}]`;
}
