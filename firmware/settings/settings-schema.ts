/**
 * The box's live settings: the recording parameters page (manual 3.5 录音参数,
 * recording and disk/archive settings on one page), the channel parameters of
 * every channel (3.6 通道参数, keyed by channel reference so analog lines, E1
 * timeslots and VoIP channels share one store), the do-not-record list
 * (免录名单), encryption at rest and the first line number. Factory values
 * are the manual's. The settings file holds only what differs from them for
 * channels, and everything for the recording page.
 */
import { z } from 'zod';
import { channelConfigSchema, recordingParamsSchema, type ChannelConfig } from '../calls/channel-config.ts';
import { parseRefKey, refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { doNotRecordListSchema } from './do-not-record.ts';
import { encryptionSchema, storageSchema } from './legacy-config.ts';
import { definedOnly, patchSchema } from './patch-schema.ts';
import { DEFAULT_VOIP_SETTINGS, voipSettingsSchema } from './voip-settings.ts';
import { e1PortsSettingsSchema } from './e1-port-settings.ts';
import { DEFAULT_MAIL_SETTINGS, mailSettingsSchema } from './mail-settings.ts';
import { seatOverrideSchema } from './seat-settings.ts';
import { DEFAULT_NAS_SETTINGS, nasSettingsSchema } from './nas-settings.ts';
import { cascadeSettingsSchema, DEFAULT_CASCADE_SETTINGS } from './cascade-settings.ts';

export const SETTINGS_VERSION = 2;

/** At most this many channels are configured (64 analog + 4 E1 × 31 + VoIP extensions). */
export const MAX_CONFIGURED_CHANNELS = 4096;

/** The recording parameters page (3.5): call and file rules with the disk and archive settings. */
export const recordingSettingsSchema = recordingParamsSchema.extend(storageSchema.shape);
export type RecordingSettings = z.infer<typeof recordingSettingsSchema>;
export const DEFAULT_RECORDING_SETTINGS: Readonly<RecordingSettings> = Object.freeze(recordingSettingsSchema.parse({}));

/** Which parts of the box a change of recording-page fields concerns. */
export interface RecordingAreas {
  /** The channels' call machines (RecordingParams): lengths, keys, digits, codec of new files. */
  calls: boolean;
  /** The codec of new files (the recorder). */
  codec: boolean;
  /** Disk maintenance (MaintenanceSettings): thresholds, automatic maintenance, round size. */
  disk: boolean;
  /** The archive: its daily time, format and MP3 bit rate. */
  archive: boolean;
}

const CALL_FIELDS = new Set<string>(Object.keys(recordingParamsSchema.shape));
const DISK_FIELDS = new Set<string>(['diskAlarmPercent', 'reservePercent', 'autoMaintenance', 'deletePerRound']);
const ARCHIVE_FIELDS = new Set<string>(['archiveTime', 'archiveFormat', 'mp3Kbps']);

export function recordingAreas(fields: ReadonlyArray<keyof RecordingSettings>): RecordingAreas {
  return {
    calls: fields.some((f) => CALL_FIELDS.has(f)),
    codec: fields.includes('codec'),
    disk: fields.some((f) => DISK_FIELDS.has(f)),
    archive: fields.some((f) => ARCHIVE_FIELDS.has(f)),
  };
}

export const recordingPatchSchema = patchSchema(recordingSettingsSchema);
export type RecordingPatch = Partial<RecordingSettings>;

export const channelPatchSchema = patchSchema(channelConfigSchema);
export type ChannelPatch = Partial<ChannelConfig>;

/** A `refKey` in its canonical form (`analog-0-7`), the key of a channel's settings. */
const refKeyText = z.string().refine((k) => {
  const r = parseRefKey(k);
  return r !== null && refKey(r) === k;
}, 'a channel reference such as analog-0-7, e1-1-16 or voip-0-8001');

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  recording: recordingSettingsSchema.default(DEFAULT_RECORDING_SETTINGS),
  encryption: encryptionSchema.default({ enabled: false }),
  /** First line number: analog channel N is line lineNumberBase + N unless set (8000, 8001 ...). */
  lineNumberBase: z.number().int().min(0).max(99_999_999).default(8000),
  /** What each channel sets apart from its factory values, by `refKey` (fields this firmware does not know are dropped). */
  channels: z
    .record(refKeyText, patchSchema(channelConfigSchema, false))
    .refine((c) => Object.keys(c).length <= MAX_CONFIGURED_CHANNELS, `at most ${MAX_CONFIGURED_CHANNELS} channels`)
    .default({}),
  /** 免录名单 */
  doNotRecord: doNotRecordListSchema.default([]),
  /** VoIP recording (VoIP平台参数). */
  voip: voipSettingsSchema.default(DEFAULT_VOIP_SETTINGS),
  /** E1 trunk ports (E1通道参数), by port number: what differs from the factory values. */
  e1: e1PortsSettingsSchema,
  /** Email push (邮件推送): the SMTP account, recipients and alarm mails. */
  mail: mailSettingsSchema.default(DEFAULT_MAIL_SETTINGS),
  /** Cloud seats (云座席), by channel `refKey`: what each seat sets apart from the factory values (seat-settings.ts). */
  seats: z
    .record(refKeyText, seatOverrideSchema)
    .refine((c) => Object.keys(c).length <= MAX_CONFIGURED_CHANNELS, `at most ${MAX_CONFIGURED_CHANNELS} seats`)
    .default({}),
  /** NAS backup targets (私人网盘). */
  nas: nasSettingsSchema.default(DEFAULT_NAS_SETTINGS),
  /** Work mode and cascade (工作模式). */
  cascade: cascadeSettingsSchema.default(DEFAULT_CASCADE_SETTINGS),
});

export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}

/** A channel's factory values: analog lines are numbered from the first line number, others have none. */
export function factoryChannel(ref: ChannelRef, lineNumberBase: number): ChannelConfig {
  return channelConfigSchema.parse({ lineNumber: ref.portType === 'analog' ? String(lineNumberBase + ref.channel) : '' });
}

/** A channel's settings: its factory values with what the settings set apart. */
export function channelOf(settings: Settings, ref: ChannelRef): ChannelConfig {
  const set = settings.channels[refKey(ref)];
  const factory = factoryChannel(ref, settings.lineNumberBase);
  return set ? { ...factory, ...definedOnly(set) } : factory;
}

/** The fields of `config` that differ from the channel's factory values: what the file keeps. */
export function channelDifferences(ref: ChannelRef, config: ChannelConfig, lineNumberBase: number): ChannelPatch {
  const factory = factoryChannel(ref, lineNumberBase);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(config) as Array<keyof ChannelConfig>) {
    if (config[key] !== factory[key]) out[key] = config[key];
  }
  return out as ChannelPatch;
}

/** Rules between fields of the recording page; a message naming the fields, or null. */
export function recordingRuleBroken(r: RecordingSettings): string | null {
  if (r.minFileS >= r.maxFileS) return `minFileS (最短录音文件, ${r.minFileS} s) must be shorter than maxFileS (最长录音文件, ${r.maxFileS} s)`;
  if (r.startKey === r.stopKey) return `startKey and stopKey (启动/停止录音按键) must differ; both are '${r.startKey}'`;
  return null;
}

/** Rules between fields of a channel's parameters; a message naming the fields, or null. */
export function channelRuleBroken(c: ChannelConfig): string | null {
  if (c.disconnectVoltage >= c.offhookVoltage) {
    return `disconnectVoltage (断线电压, ${c.disconnectVoltage} V) must be below offhookVoltage (摘机电压, ${c.offhookVoltage} V)`;
  }
  return null;
}
