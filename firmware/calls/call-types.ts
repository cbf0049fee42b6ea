/** Vocabulary of calls and recordings, shared by the call machine, recorder, index and API. */

/** Channel states as the manual names them: 断线, 空闲, 呼入, 呼出. */
export const CHANNEL_STATES = ['disconnected', 'idle', 'incoming', 'outgoing'] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

export const CHANNEL_STATE_LABEL: Record<ChannelState, string> = {
  disconnected: '断线',
  idle: '空闲',
  incoming: '呼入',
  outgoing: '呼出',
};

/** What a recording holds; 'idle' (空闲) is a recording made outside any call (continuous, voice or forced). */
export const CALL_TYPES = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const CALL_TYPE_LABEL: Record<CallType, string> = {
  'incoming-answered': '呼入',
  'incoming-missed': '未接',
  outgoing: '呼出',
  idle: '空闲',
};

/** What opened a recording: a control mode of an analog line, forced recording, or call signalling (VoIP, E1). */
export type StartMode = 'voltage' | 'voice' | 'dtmf' | 'polarity' | 'ring' | 'continuous' | 'forced' | 'signalling';

export const START_MODE_LABEL: Record<StartMode, string> = {
  voltage: '压控录音',
  voice: '声控录音',
  dtmf: '码控录音',
  polarity: '反极控录音',
  ring: '铃流控录音',
  continuous: '持续录音',
  forced: '手控录音',
  signalling: '信令录音',
};

export type StopMode =
  | 'hangup' // 挂机停止
  | 'disconnect' // 断线停止
  | 'busy-tone' // 忙音停止: the far end hung up, only busy tone remains
  | 'polarity' // 反极停止: polarity back to normal (polarity control)
  | 'dtmf' // 码控停止: the stop key was pressed (DTMF code control)
  | 'silence' // 无声停止: silence for the channel's silence duration (voice control)
  | 'ring-timeout' // 未接停止: the ringing ended unanswered (ring control)
  | 'manual' // 手动停止: forced recording stopped
  | 'max-length' // 超长停止 (continues in a linked file unless configured to stop)
  | 'switch-off' // 关闭停止: the channel's recording switch was turned off
  | 'linecard-fault' // 故障停止: the line card stopped answering
  | 'shutdown' // 系统停止
  | 'power-loss' // 断电停止: closed at start-up after the recorder was killed
  | 'superseded'; // 新录音停止: a new recording started on the channel while this one was open

export const STOP_MODE_LABEL: Record<StopMode, string> = {
  hangup: '挂机停止',
  disconnect: '断线停止',
  'busy-tone': '忙音停止',
  polarity: '反极停止',
  dtmf: '码控停止',
  silence: '无声停止',
  'ring-timeout': '未接停止',
  manual: '手动停止',
  'max-length': '超长停止',
  'switch-off': '关闭停止',
  'linecard-fault': '故障停止',
  shutdown: '系统停止',
  'power-loss': '断电停止',
  superseded: '新录音停止',
};

/** Which way a call went, as seen from the recorded side (VoIP and E1 calls can be internal). */
export type CallDirection = 'incoming' | 'outgoing' | 'internal' | 'unknown';

export type { PortType } from '../ports/channel-ref.ts';

/** 录音级别: important recordings are never deleted by disk maintenance. */
export const RECORD_LEVELS = ['normal', 'important'] as const;
export type RecordLevel = (typeof RECORD_LEVELS)[number];
