/** What a channel's call machine tells the rest of the recorder. */
import type { CallType, ChannelState, StartMode, StopMode } from './call-types.ts';

export interface CallInfo {
  /** Shared by every file of one call (or of one stretch of continuous, voice or forced recording). */
  callId: string;
  type: 'incoming' | 'outgoing' | 'none';
  remoteNumber: string;
  callerName: string;
  startedAt: number;
}

export type Decision =
  | { kind: 'state'; state: ChannelState; at: number }
  | { kind: 'start'; call: CallInfo; callType: CallType; part: number; startMode: StartMode; at: number }
  /** `callType` replaces the file's call type when it turned out otherwise (a ring-controlled call never answered). */
  | { kind: 'stop'; stopMode: StopMode; keep: boolean; at: number; callType?: CallType }
  | { kind: 'update'; remoteNumber: string; callerName: string; at: number }
  | { kind: 'missed'; remoteNumber: string; callerName: string; ringStartedAt: number; ringEndedAt: number }
  | { kind: 'digits'; digits: string; at: number };
