/** Vocabulary of calls and recordings, shared by the call machine, recorder, index and API. */

/** Channel states as the manual names them: 断线, 空闲, 呼入, 呼出. */
export type ChannelState = 'disconnected' | 'idle' | 'incoming' | 'outgoing';

export const CHANNEL_STATE_LABEL: Record<ChannelState, string> = {
  disconnected: '断线',
  idle: '空闲',
  incoming: '呼入',
  outgoing: '呼出',
};

export type CallType = 'incoming-answered' | 'incoming-missed' | 'outgoing';

export type StartMode = 'voltage' | 'voice' | 'dtmf' | 'polarity' | 'ring' | 'continuous' | 'forced';

export const START_MODE_LABEL: Record<StartMode, string> = {
  voltage: '压控录音',
  voice: '声控录音',
  dtmf: '码控录音',
  polarity: '反极控录音',
  ring: '铃流控录音',
  continuous: '持续录音',
  forced: '手控录音',
};

export type StopMode =
  | 'hangup' // 挂机停止
  | 'disconnect' // 断线停止
  | 'max-length' // 超长停止 (continues in a linked file unless configured to stop)
  | 'busy-tone' // 忙音停止: the far end hung up, only busy tone remains
  | 'switch-off' // 手动停止 (recording switch turned off)
  | 'linecard-fault' // 设备故障: the line card stopped answering
  | 'shutdown' // 系统停止
  | 'power-loss'; // closed at start-up after the recorder was killed

export const STOP_MODE_LABEL: Record<StopMode, string> = {
  hangup: '挂机停止',
  disconnect: '断线停止',
  'max-length': '超长停止',
  'busy-tone': '忙音停止',
  'switch-off': '手动停止',
  'linecard-fault': '故障停止',
  shutdown: '系统停止',
  'power-loss': '断电停止',
};

export type PortType = 'analog' | 'e1' | 'voip';

export type RecordLevel = 'normal' | 'important';
