/** Argument checks shared by the commands. */
import { UsageError } from '../console-command.ts';

/** A count argument (default when left out), between 1 and `max`. */
export function countArg(text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`The count must be a whole number from 1 to ${max}.`);
  return n;
}
