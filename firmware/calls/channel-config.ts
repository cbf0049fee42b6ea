/**
 * Per-channel parameters (manual 3.6 通道参数) and the box-wide recording
 * parameters (manual 3.5 录音参数), with the manual's defaults.
 */
import { z } from 'zod';

/** 收号模式: FSK/DTMF, FSK, DTMF (the detector's CallerIdMode). */
export const CALLER_ID_MODES = ['fsk-dtmf', 'fsk', 'dtmf'] as const;

export const CONTROL_MODES = ['voltage', 'voice', 'dtmf', 'polarity', 'ring', 'continuous'] as const;

export const channelConfigSchema = z.object({
  /** 录音开关 */
  recordingEnabled: z.boolean().default(true),
  /** 通道名称 */
  name: z.string().max(32).default(''),
  /** 线路号码: the line's own number, for search. */
  lineNumber: z.string().max(32).default(''),
  /** 控制方式; voltage control (压控) is the default. */
  controlMode: z.enum(CONTROL_MODES).default('voltage'),
  /** 收号模式: caller-ID signalling listened for (FSK/DTMF, FSK, DTMF); dialled digits are heard in every mode. */
  callerIdMode: z.enum(CALLER_ID_MODES).default('fsk-dtmf'),
  /** 摘机电压: below this many volts the line is off-hook. */
  offhookVoltage: z.number().min(1).max(60).default(15),
  /** 断线电压: below this many volts the line is disconnected. */
  disconnectVoltage: z.number().min(0).max(30).default(4),
  /** 有声门限 / 无声门限 / 无声时长 (voice control). */
  speechThreshold: z.number().int().min(0).max(32767).default(3000),
  silenceThreshold: z.number().int().min(0).max(32767).default(0),
  silenceMs: z.number().int().min(100).max(600000).default(7000),
  /** 录音级别 */
  level: z.enum(['normal', 'important']).default('normal'),
});

export type ChannelConfig = z.infer<typeof channelConfigSchema>;

export const recordingParamsSchema = z.object({
  /** 最长录音文件 (s): a longer call continues in a new, linked file. */
  maxFileS: z.number().int().min(10).max(7200).default(1800),
  /** 最短录音文件 (s): shorter recordings are not kept. */
  minFileS: z.number().int().min(0).max(600).default(3),
  /** 到达最长录音文件停止录音 */
  stopAtMaxFile: z.boolean().default(false),
  /** 停止收号间隔时间 (s): stop collecting digits after this gap; 0 = collect throughout the call. */
  digitGapS: z.number().int().min(0).max(60).default(0),
  /** 启动录音按键 / 停止录音按键: keys that start and stop recording under DTMF code control (码控). */
  startKey: z.string().regex(/^[0-9*#A-D]$/).default('*'),
  stopKey: z.string().regex(/^[0-9*#A-D]$/).default('#'),
  /** 呼出号码全显: keep '*' and '#' in dialled numbers (the manual's default is 是, yes). */
  keepStarHash: z.boolean().default(true),
  /** Recording codec of today's files. */
  codec: z.enum(['alaw', 'ulaw', 'pcm16']).default('alaw'),
  /** Two-party calls (E1 trunks, VoIP): a stereo file with one party per channel, or both mixed to mono. */
  twoPartyLayout: z.enum(['stereo', 'mono']).default('stereo'),
});

export type RecordingParams = z.infer<typeof recordingParamsSchema>;

export function defaultChannelConfig(channel: number, lineNumberBase = 8000): ChannelConfig {
  return channelConfigSchema.parse({ lineNumber: String(lineNumberBase + channel) });
}

export const DEFAULT_RECORDING_PARAMS: RecordingParams = recordingParamsSchema.parse({});
