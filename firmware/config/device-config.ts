/**
 * The device configuration file (`<config dir>/recorder.json`): recording
 * parameters and per-channel overrides of the manual's defaults. A missing
 * file means factory defaults; an invalid one is an error naming file and field.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { channelConfigSchema, recordingParamsSchema, type ChannelConfig } from '../calls/channel-config.ts';

export const deviceConfigSchema = z.object({
  recording: recordingParamsSchema.default(recordingParamsSchema.parse({})),
  /** First line number; channel N defaults to lineNumberBase + N as in the manual (8000, 8001 ...). */
  lineNumberBase: z.number().int().min(0).default(8000),
  /** Per-channel overrides keyed by channel number. */
  channels: z.record(z.string().regex(/^\d+$/), channelConfigSchema.partial()).default({}),
});

export type DeviceConfig = z.infer<typeof deviceConfigSchema>;

export function loadDeviceConfig(file: string): DeviceConfig {
  if (!fs.existsSync(file)) return deviceConfigSchema.parse({});
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new RecorderError('CONFIG_INVALID', `config file ${file}: ${(e as Error).message}`);
  }
  const parsed = deviceConfigSchema.safeParse(json);
  if (!parsed.success) throw new RecorderError('CONFIG_INVALID', `config file ${file}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function channelConfigOf(config: DeviceConfig, channel: number): ChannelConfig {
  return channelConfigSchema.parse({
    lineNumber: String(config.lineNumberBase + channel),
    ...(config.channels[String(channel)] ?? {}),
  });
}
