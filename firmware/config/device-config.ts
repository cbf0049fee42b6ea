/**
 * The first release's configuration file (`<config dir>/recorder.json`):
 * recording parameters and per-channel overrides of the manual's defaults,
 * read once at start-up. A missing file means factory defaults; an invalid
 * one is an error naming file and field. The settings store
 * (`settings/settings-store.ts`) migrates it and replaces it.
 */
import fs from 'node:fs';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { channelConfigSchema, type ChannelConfig } from '../calls/channel-config.ts';
import { deviceConfigSchema, type DeviceConfig } from '../settings/legacy-config.ts';

export { deviceConfigSchema, encryptionSchema, storageSchema, type DeviceConfig } from '../settings/legacy-config.ts';

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
