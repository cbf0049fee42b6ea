/**
 * What the box may record now, from its board, its license and its trial
 * (pure). A new box is on trial (试用状态): it records with everything the
 * board has for TRIAL_HOURS of recording-capable uptime, then starts no new
 * recording until a license file activates it. A license grants its channel
 * counts and features, never more than the board has.
 */
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { License, LicenseFeature } from './license-file.ts';

export const TRIAL_HOURS = 32;

export interface BoardLimits {
  analog: number;
  e1: number;
  voip: number;
}

export type LicenseState = 'trial' | 'trial-expired' | 'activated';

export interface Entitlement {
  state: LicenseState;
  /** Recording allowed at all (activated, or trial time left). */
  recording: boolean;
  channels: BoardLimits;
  features: License['features'];
  trial: { usedS: number; limitS: number; leftS: number };
}

/** A box on trial has every feature, with a seat for each channel it can record (an E1 port: 30 timeslots). */
const trialFeatures = (board: BoardLimits): License['features'] => ({
  cloudPlatform: true, cloudSeats: board.analog + board.e1 * 30 + board.voip, screenPop: true, monitoring: true, transcription: true,
});

export function entitlementOf(board: BoardLimits, license: License | null, trialUsedS: number, trialLimitS = TRIAL_HOURS * 3600): Entitlement {
  const trial = { usedS: Math.min(trialUsedS, trialLimitS), limitS: trialLimitS, leftS: Math.max(0, trialLimitS - trialUsedS) };
  if (license) {
    return {
      state: 'activated',
      recording: true,
      channels: {
        analog: Math.min(board.analog, license.channels.analog),
        e1: Math.min(board.e1, license.channels.e1),
        voip: Math.min(board.voip, license.channels.voip),
      },
      features: { ...license.features },
      trial,
    };
  }
  const left = trial.leftS > 0;
  return { state: left ? 'trial' : 'trial-expired', recording: left, channels: { ...board }, features: trialFeatures(board), trial };
}

/** May a new recording start on this channel; `openVoip` counts the VoIP recordings open now. */
export function admits(e: Entitlement, ref: ChannelRef, openVoip: number): boolean {
  if (!e.recording) return false;
  switch (ref.portType) {
    case 'analog':
      return ref.channel < e.channels.analog;
    case 'e1':
      return ref.port < e.channels.e1;
    case 'voip':
      return openVoip < e.channels.voip;
  }
}

export function hasFeature(e: Entitlement, feature: LicenseFeature): boolean {
  const v = e.features[feature];
  return typeof v === 'number' ? v > 0 : v;
}
