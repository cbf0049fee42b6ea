/**
 * Settings of the first release's `recorder.json` in today's form, so a box
 * keeps its settings: the recording and disk settings become the recording
 * page, channels keyed by a bare analog number become `analog-0-N`, the first
 * line number and encryption are carried over. Values the old file left out
 * take the values the first release used (dialled '*' and '#' stripped).
 */
import { channelConfigSchema } from '../calls/channel-config.ts';
import { describeZodError } from '../schema-error.ts';
import { analogRef, refKey } from '../ports/channel-ref.ts';
import { deviceConfigSchema, type DeviceConfig } from './legacy-config.ts';
import { channelDifferences, factoryChannel, SETTINGS_VERSION, settingsSchema, type Settings } from './settings-schema.ts';

export type MigrateResult = { ok: true; settings: Settings } | { ok: false; reason: string };

export function migrateLegacy(json: unknown): MigrateResult {
  const legacy = deviceConfigSchema.safeParse(json);
  if (!legacy.success) return { ok: false, reason: describeZodError(legacy.error) };
  return fromDeviceConfig(legacy.data);
}

export function fromDeviceConfig(old: DeviceConfig): MigrateResult {
  const channels: Settings['channels'] = {};
  for (const [number, set] of Object.entries(old.channels)) {
    const ref = analogRef(Number(number));
    const config = channelConfigSchema.safeParse({ ...factoryChannel(ref, old.lineNumberBase), ...set });
    if (!config.success) return { ok: false, reason: `channel ${number}: ${describeZodError(config.error)}` };
    const differences = channelDifferences(ref, config.data, old.lineNumberBase);
    if (Object.keys(differences).length) channels[refKey(ref)] = differences;
  }
  const parsed = settingsSchema.safeParse({
    version: SETTINGS_VERSION,
    recording: { ...old.storage, ...old.recording },
    encryption: old.encryption,
    lineNumberBase: old.lineNumberBase,
    channels,
    doNotRecord: [],
  });
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, reason: describeZodError(parsed.error) };
}
