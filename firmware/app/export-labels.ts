/** Column headers and values of exported tables, in Chinese (the manual's words) and English. */
import { CALL_TYPE_LABEL, START_MODE_LABEL, STOP_MODE_LABEL, type CallType, type StartMode, type StopMode } from '../calls/call-types.ts';
import type { PortType } from '../ports/channel-ref.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { RecordLevel } from '../calls/call-types.ts';

export const EXPORT_LANGS = ['zh', 'en'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

export const RECORD_COLUMNS: Record<ExportLang, string[]> = {
  zh: ['序号', '通道号', '端口类型', '线路号码', '对方号码', '对方名称', '通话类型', '录音起始时间', '录音时长', '起始模式', '停止模式', '级别', '文件名', '录音编号', '签名'],
  en: ['No.', 'Channel', 'Port type', 'Line number', 'Remote number', 'Remote name', 'Call type', 'Start time', 'Duration', 'Start mode', 'Stop mode', 'Level', 'File name', 'Recording id', 'Signature'],
};

export const STATS_COLUMNS: Record<ExportLang, string[]> = {
  zh: ['序号', '通道号', '端口类型', '呼入(条)', '呼出(条)', '未接来电(条)', '录音总数(条)', '录音总时长'],
  en: ['No.', 'Channel', 'Port type', 'Incoming', 'Outgoing', 'Missed', 'Recordings', 'Total length'],
};

export const TOTAL_LABEL: Record<ExportLang, string> = { zh: '合计', en: 'Total' };
export const SHEET_NAME = { records: { zh: '录音记录', en: 'Recordings' }, stats: { zh: '录音统计', en: 'Statistics' } } as const;

const PORT_LABEL: Record<ExportLang, Record<PortType, string>> = {
  zh: { analog: '模拟', e1: 'E1', voip: 'VoIP' },
  en: { analog: 'Analog', e1: 'E1', voip: 'VoIP' },
};

const CALL_TYPE_EN: Record<CallType, string> = { 'incoming-answered': 'Incoming', 'incoming-missed': 'Missed', outgoing: 'Outgoing', idle: 'Idle' };
const START_MODE_EN: Record<StartMode, string> = {
  voltage: 'Voltage', voice: 'Voice', dtmf: 'DTMF code', polarity: 'Polarity', ring: 'Ring', continuous: 'Continuous', forced: 'Forced', signalling: 'Signalling',
};
const STOP_MODE_EN: Record<StopMode, string> = {
  hangup: 'Hang-up', disconnect: 'Disconnect', 'busy-tone': 'Busy tone', polarity: 'Polarity', dtmf: 'DTMF code', silence: 'Silence',
  'ring-timeout': 'Ring ended', manual: 'Manual', 'max-length': 'Maximum length', 'switch-off': 'Switched off', 'linecard-fault': 'Line card fault',
  shutdown: 'Shutdown', 'power-loss': 'Power loss', superseded: 'New recording',
};
const LEVEL_LABEL: Record<ExportLang, Record<RecordLevel, string>> = { zh: { normal: '普通', important: '重要' }, en: { normal: 'Normal', important: 'Important' } };

export const portLabel = (lang: ExportLang, t: PortType) => PORT_LABEL[lang][t];
export const callTypeLabel = (lang: ExportLang, t: CallType) => (lang === 'zh' ? CALL_TYPE_LABEL[t] : CALL_TYPE_EN[t]);
export const startModeLabel = (lang: ExportLang, m: StartMode) => (lang === 'zh' ? START_MODE_LABEL[m] : START_MODE_EN[m]);
export const stopModeLabel = (lang: ExportLang, m: StopMode | null) => (m === null ? '' : lang === 'zh' ? STOP_MODE_LABEL[m] : STOP_MODE_EN[m]);
export const levelLabel = (lang: ExportLang, l: RecordLevel) => LEVEL_LABEL[lang][l];

/** The channel as the manual's tables show it: `M [07]` (analog line 7), `E1-1 [16]`, `V0 [8001]`. */
export function channelLabel(r: ChannelRef): string {
  const ch = String(r.channel).padStart(2, '0');
  if (r.portType === 'analog') return `M [${ch}]`;
  return r.portType === 'e1' ? `E1-${r.port} [${ch}]` : `V${r.port} [${r.channel}]`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS`, local time. */
export function localTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `HH:MM:SS` of a length in ms (hours may pass 99). */
export function clockLength(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}
