/**
 * The typed confirmation of the device operations (设备管理, manual 3.17):
 * the dialog asks to type 确认; the English interface accepts "confirm".
 */
import { RecorderError } from '../errors.ts';

export const CONFIRMATION_WORDS = ['确认', 'confirm'] as const;

export function requireConfirmation(typed: string | undefined, what: string): void {
  const t = (typed ?? '').trim();
  if (!CONFIRMATION_WORDS.some((w) => w === t || w === t.toLowerCase())) {
    throw new RecorderError('confirmation_required', `${what}: type 确认 (or confirm) to confirm`);
  }
}
