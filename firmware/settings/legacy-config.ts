/**
 * The first release's settings file, `<config dir>/recorder.json`: recording
 * parameters, disk and archive settings, encryption, the first line number
 * and per-channel overrides keyed by the bare analog channel number. The
 * settings store migrates it once (migrate.ts).
 */
import { z } from 'zod';
import { channelConfigSchema, recordingParamsSchema } from '../calls/channel-config.ts';
import { patchSchema } from './patch-schema.ts';

/** Disk and archive settings of the recording parameters page (manual 3.5). */
export const storageSchema = z.object({
  /** 磁盘告警阈值 (%): above it FULL lights, the buzzer sounds and an alarm is raised. */
  diskAlarmPercent: z.number().int().min(50).max(99).default(90),
  /** 磁盘保留容量 (%): free space kept; below it HALF lights and maintenance deletes the oldest recordings. */
  reservePercent: z.number().int().min(1).max(50).default(15),
  /** 磁盘自动维护 */
  autoMaintenance: z.boolean().default(true),
  /** 一次删除记录数 */
  deletePerRound: z.number().int().min(1).max(100_000).default(1000),
  /** 录音归档时间, HH:MM:SS local time. */
  archiveTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'HH:MM:SS').default('00:00:00'),
  /** 录音编码格式 of history: today's files stay WAV in the recording codec and are transcoded when archived. */
  archiveFormat: z.enum(['alaw', 'ulaw', 'pcm16', 'ima-adpcm', 'mp3']).default('alaw'),
  /** MP3 bit rate of archived recordings (kbit/s). */
  mp3Kbps: z.number().int().refine((k) => MP3_KBPS.includes(k), 'one of 8, 16, 24, 32, 40, 48, 56, 64').default(16),
});

export const MP3_KBPS: readonly number[] = [8, 16, 24, 32, 40, 48, 56, 64];

/** Encryption at rest of finished recordings (docs/encryption.md). */
export const encryptionSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** AES-256 key, 64 hex digits. */
    key: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits').optional(),
  })
  .refine((e) => !e.enabled || e.key !== undefined, { message: 'encryption is enabled but no key is set', path: ['key'] });

/**
 * The recording parameters as this file has always read them: a box whose
 * file does not say otherwise strips '*' and '#' from dialled numbers, as the
 * first release did (the manual's factory value is recordingParamsSchema's).
 */
const legacyRecordingSchema = recordingParamsSchema.extend({ keepStarHash: z.boolean().default(false) });

export const deviceConfigSchema = z.object({
  storage: storageSchema.default(storageSchema.parse({})),
  encryption: encryptionSchema.default({ enabled: false }),
  recording: legacyRecordingSchema.default(legacyRecordingSchema.parse({})),
  /** First line number; channel N defaults to lineNumberBase + N as in the manual (8000, 8001 ...). */
  lineNumberBase: z.number().int().min(0).default(8000),
  /** Per-channel overrides keyed by channel number: only what is set (no defaults filled in). */
  channels: z.record(z.string().regex(/^\d+$/), patchSchema(channelConfigSchema, false)).default({}),
});

export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
