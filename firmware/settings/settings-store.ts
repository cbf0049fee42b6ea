/**
 * The live settings of the box: loaded at start-up, changed by validated
 * updates that are saved atomically before they count, and announced to
 * listeners so the recorder applies them at once (loading: settings-load.ts).
 * Updates run one at a time, each on the settings the previous one
 * left, so concurrent updates compose; an invalid update changes nothing and
 * fails with BAD_REQUEST, a failed save with SETTINGS_WRITE_FAILED.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { ChannelConfig } from '../calls/channel-config.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { isValidRef, parseRefKey, refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { DoNotRecordList, doNotRecordEntrySchema, doNotRecordListSchema, type DoNotRecordEntry, type DoNotRecordInput } from './do-not-record.ts';
import { definedOnly } from './patch-schema.ts';
import { e1PortDifferences, e1PortOf, e1PortPatchSchema, e1PortSchema, type E1PortConfig, type E1PortPatch } from './e1-port-settings.ts';
import { saveSettings, SETTINGS_FILE } from './settings-file.ts';
import { loadSettings, type SettingsLoadReport } from './settings-load.ts';
import {
  channelDifferences, channelOf, channelPatchSchema, channelRuleBroken, MAX_CONFIGURED_CHANNELS,
  recordingPatchSchema, recordingRuleBroken, recordingSettingsSchema,
  type ChannelPatch, type RecordingPatch, type RecordingSettings, type Settings,
} from './settings-schema.ts';
import { mailPatchSchema, mailRuleBroken, mailSettingsSchema, type MailPatch, type MailSettings } from './mail-settings.ts';
import { FACTORY_SEAT, seatDifferences, seatPatchSchema, seatSchema, type SeatConfig, type SeatPatch } from './seat-settings.ts';
import { nasSettingsSchema, nasTargetRuleBroken, type NasSettings } from './nas-settings.ts';
import { cascadeRuleBroken, cascadeSettingsSchema, type CascadeSettings } from './cascade-settings.ts';
import { voipPatchSchema, voipRuleBroken, voipSettingsSchema, type VoipPatch, type VoipSettings } from './voip-settings.ts';

export type { SettingsLoadReport, SettingsSource } from './settings-load.ts';

/** What an update changed; empty lists and false when it changed nothing. */
export interface SettingsChange {
  /** Fields of the recording page that changed. */
  recording: Array<keyof RecordingSettings>;
  /** Channels whose parameters changed, with the fields and the parameters now in force. */
  channels: Array<{ ref: ChannelRef; fields: Array<keyof ChannelConfig>; config: ChannelConfig }>;
  /** The do-not-record list changed. */
  doNotRecord: boolean;
  /** Fields of the VoIP settings that changed. */
  voip?: Array<keyof VoipSettings>;
  /** E1 ports whose settings changed. */
  e1Ports?: number[];
  /** Fields of the email push settings that changed. */
  mail?: Array<keyof MailSettings>;
  /** Channels (refKey) whose seat changed. */
  seats?: string[];
  /** The NAS backup settings changed. */
  nas?: boolean;
  /** The work mode (cascade) changed. */
  cascade?: boolean;
  /** The settings after the change. */
  settings: Readonly<Settings>;
}

export interface SettingsUpdate<T> {
  value: T;
  change: SettingsChange;
}

export type SettingsListener = (change: SettingsChange) => void;

export interface SettingsStoreOptions {
  /** The configuration folder. */
  dir: string;
  /** Which channels the box has; updates to others are refused. Any valid reference by default. */
  hasChannel?: (ref: ChannelRef) => boolean;
  /** E1 ports the box has (0..e1Ports-1); updates to others are refused. */
  e1Ports?: number;
  /** The first release's file to migrate from; `<dir>/recorder.json` by default. */
  legacyFile?: string;
  /** Where a listener's exception goes (the update itself has succeeded). */
  onListenerError?: (error: unknown) => void;
}

export class SettingsStore {
  private current: Readonly<Settings>;
  /** The text of the saved settings in force, null while nothing was saved. */
  private savedText: string | null;
  private matcher: DoNotRecordList;
  private readonly channelCache = new Map<string, ChannelConfig>();
  private readonly listeners = new Set<SettingsListener>();
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly opts: SettingsStoreOptions,
    settings: Settings,
    savedText: string | null,
    readonly loadReport: Readonly<SettingsLoadReport>,
  ) {
    this.current = deepFreeze(settings);
    this.savedText = savedText;
    this.matcher = new DoNotRecordList(settings.doNotRecord);
  }

  static async open(opts: SettingsStoreOptions): Promise<SettingsStore> {
    const loaded = await loadSettings(opts.dir, opts.legacyFile ?? path.join(opts.dir, 'recorder.json'));
    return new SettingsStore(opts, loaded.settings, loaded.text, loaded.report);
  }

  get settings(): Readonly<Settings> {
    return this.current;
  }

  /** The recording page (3.5); RecordingParams for the call machines and MaintenanceSettings for the disk are parts of it. */
  get recording(): Readonly<RecordingSettings> {
    return this.current.recording;
  }

  /** VoIP recording (VoIP平台参数). */
  get voip(): Readonly<VoipSettings> {
    return this.current.voip;
  }

  /** Email push (邮件推送). */
  get mail(): Readonly<MailSettings> {
    return this.current.mail;
  }

  updateMail(patch: MailPatch): Promise<SettingsUpdate<MailSettings>> {
    return this.commit((s) => {
      const mail = parse(mailSettingsSchema, { ...s.mail, ...parsePatch(mailPatchSchema, patch, 'email push settings') }, 'email push settings');
      const broken = mailRuleBroken(mail);
      if (broken) throw badRequest(`email push settings: ${broken}`);
      return { next: { ...s, mail }, value: () => this.current.mail };
    });
  }

  get encryption(): Readonly<Settings['encryption']> {
    return this.current.encryption;
  }

  /** A channel's parameters (3.6): its factory values with what was set. */
  channel(ref: ChannelRef): ChannelConfig {
    const key = refKey(ref);
    let config = this.channelCache.get(key);
    if (!config) {
      config = Object.freeze(channelOf(this.current, ref));
      this.channelCache.set(key, config);
    }
    return config;
  }

  /** The channels whose parameters differ from their factory values. */
  get configuredChannels(): ChannelRef[] {
    return Object.keys(this.current.channels).map((k) => parseRefKey(k)!);
  }

  /** An E1 port's settings: the factory values with what was set. */
  e1Port(port: number): E1PortConfig {
    return e1PortOf(this.current.e1, port);
  }

  updateE1Port(port: number, patch: E1PortPatch): Promise<SettingsUpdate<E1PortConfig>> {
    return this.commit((s) => {
      if (!Number.isInteger(port) || port < 0 || port >= (this.opts.e1Ports ?? 0)) throw badRequest(`there is no E1 port ${port} on this box`);
      const config = parse(e1PortSchema, { ...e1PortOf(s.e1, port), ...parsePatch(e1PortPatchSchema, patch, 'E1 port settings') }, 'E1 port settings');
      const e1 = { ...s.e1 };
      const differences = e1PortDifferences(config);
      if (Object.keys(differences).length) e1[String(port)] = differences;
      else delete e1[String(port)];
      return { next: { ...s, e1 }, value: () => this.e1Port(port) };
    });
  }

  /** A channel's seat (云座席): the factory values with what was set. */
  seat(ref: ChannelRef): SeatConfig {
    const set = this.current.seats?.[refKey(ref)];
    return set ? { ...FACTORY_SEAT, ...definedOnly(set) } : { ...FACTORY_SEAT };
  }

  /** Every seat set apart from the factory values, by refKey. */
  get seats(): Readonly<Record<string, Partial<SeatConfig>>> {
    return this.current.seats ?? {};
  }

  /** Changes seats, all or none; an account already used by another seat is refused. */
  updateSeats(changes: ReadonlyArray<{ ref: ChannelRef; patch: SeatPatch }>): Promise<SettingsUpdate<SeatConfig[]>> {
    return this.commit((s) => {
      const seats = { ...(s.seats ?? {}) };
      for (const { ref, patch } of changes) {
        if (typeof ref !== 'object' || ref === null || !isValidRef(ref)) throw badRequest(`not a channel reference: ${JSON.stringify(ref)}`);
        const key = refKey(ref);
        if (this.opts.hasChannel && !this.opts.hasChannel(ref)) throw badRequest(`there is no channel ${key} on this box`);
        const config = parse(seatSchema, { ...FACTORY_SEAT, ...definedOnly(seats[key] ?? {}), ...parsePatch(seatPatchSchema, patch, `seat ${key}`) }, `seat ${key}`);
        if (config.monitoredRef === key) throw badRequest(`seat ${key}: the monitored channel is the seat's own channel`);
        const differences = seatDifferences(config);
        if (Object.keys(differences).length) seats[key] = differences;
        else delete seats[key];
      }
      const owners = new Map<string, string>();
      for (const [key, seat] of Object.entries(seats)) {
        if (!seat.account) continue;
        const other = owners.get(seat.account);
        if (other) throw new RecorderError('BAD_REQUEST', `seat account '${seat.account}' is used by ${other} and ${key}`);
        owners.set(seat.account, key);
      }
      return { next: { ...s, seats }, value: () => changes.map((c) => this.seat(c.ref)) };
    });
  }

  /** NAS backup (私人网盘). */
  get nas(): Readonly<NasSettings> {
    return this.current.nas;
  }

  /** Work mode (工作模式). */
  get cascade(): Readonly<CascadeSettings> {
    return this.current.cascade;
  }

  /** Replaces the NAS settings with `next` (the service merges a page's change into the settings in force). */
  updateNas(next: (now: Readonly<NasSettings>) => unknown): Promise<SettingsUpdate<NasSettings>> {
    return this.commit((s) => {
      const nas = parse(nasSettingsSchema, next(s.nas), 'NAS settings');
      nas.targets.forEach((t, i) => {
        const broken = nasTargetRuleBroken(t);
        if (broken) throw badRequest(`NAS target ${i}: ${broken}`);
      });
      return { next: { ...s, nas }, value: () => this.current.nas };
    });
  }

  updateCascade(next: (now: Readonly<CascadeSettings>) => unknown): Promise<SettingsUpdate<CascadeSettings>> {
    return this.commit((s) => {
      const cascade = parse(cascadeSettingsSchema, next(s.cascade), 'work mode');
      const broken = cascadeRuleBroken(cascade);
      if (broken) throw badRequest(`work mode: ${broken}`);
      return { next: { ...s, cascade }, value: () => this.current.cascade };
    });
  }

  /** The do-not-record list's matcher, rebuilt with every change of the list. */
  get doNotRecord(): DoNotRecordList {
    return this.matcher;
  }

  /** Calls `listener` after every saved change; returns the function that stops it. */
  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Settles once every update asked for so far is done. */
  async idle(): Promise<void> {
    await this.turn.catch(() => undefined);
  }

  updateRecording(patch: RecordingPatch): Promise<SettingsUpdate<RecordingSettings>> {
    return this.commit((s) => {
      const recording = parse(recordingSettingsSchema, { ...s.recording, ...parsePatch(recordingPatchSchema, patch, 'recording parameters') }, 'recording parameters');
      const broken = recordingRuleBroken(recording);
      if (broken) throw badRequest(`recording parameters: ${broken}`);
      return { next: { ...s, recording }, value: () => this.current.recording };
    });
  }

  updateVoip(patch: VoipPatch): Promise<SettingsUpdate<VoipSettings>> {
    return this.commit((s) => {
      const voip = parse(voipSettingsSchema, { ...s.voip, ...parsePatch(voipPatchSchema, patch, 'VoIP settings') }, 'VoIP settings');
      const broken = voipRuleBroken(voip);
      if (broken) throw badRequest(`VoIP settings: ${broken}`);
      return { next: { ...s, voip }, value: () => this.current.voip };
    });
  }

  updateChannel(ref: ChannelRef, patch: ChannelPatch): Promise<SettingsUpdate<ChannelConfig>> {
    return this.commit((s) => ({ next: this.withChannels(s, [ref], patch), value: () => this.channel(ref) }));
  }

  /** The same change to several channels at once (copy to channels, 复制到通道): all or none. */
  updateChannels(refs: readonly ChannelRef[], patch: ChannelPatch): Promise<SettingsUpdate<ChannelConfig[]>> {
    return this.commit((s) => {
      if (!refs.length) throw badRequest('no channel given');
      if (refs.length > MAX_CONFIGURED_CHANNELS) throw badRequest(`at most ${MAX_CONFIGURED_CHANNELS} channels at once`);
      return { next: this.withChannels(s, refs, patch), value: () => refs.map((r) => this.channel(r)) };
    });
  }

  /** Adds entries to the do-not-record list; a number already listed is refused. */
  addDoNotRecord(entries: readonly DoNotRecordInput[]): Promise<SettingsUpdate<readonly DoNotRecordEntry[]>> {
    return this.commit((s) => {
      const added = entries.map((e, i) => parse(doNotRecordEntrySchema, e, `do-not-record entry ${i}`));
      const listed = new Set(s.doNotRecord.map((e) => e.number));
      const twice = added.find((e) => listed.has(e.number));
      if (twice) throw badRequest(`do-not-record list: '${twice.number}' is already listed`);
      return this.withList(s, [...s.doNotRecord, ...added]);
    });
  }

  /** Removes the entries of these numbers (patterns as written); one not listed is refused. */
  removeDoNotRecord(numbers: readonly string[]): Promise<SettingsUpdate<readonly DoNotRecordEntry[]>> {
    return this.commit((s) => {
      const gone = new Set(numbers);
      const missing = numbers.find((n) => !s.doNotRecord.some((e) => e.number === n));
      if (missing !== undefined) throw new RecorderError('NOT_FOUND', `do-not-record list: '${missing}' is not listed`);
      return this.withList(s, s.doNotRecord.filter((e) => !gone.has(e.number)));
    });
  }

  replaceDoNotRecord(entries: readonly DoNotRecordInput[]): Promise<SettingsUpdate<readonly DoNotRecordEntry[]>> {
    return this.commit((s) => this.withList(s, entries));
  }

  private withList(s: Settings, list: readonly unknown[]) {
    const doNotRecord = parse(doNotRecordListSchema, list, 'do-not-record list');
    return { next: { ...s, doNotRecord }, value: () => this.current.doNotRecord };
  }

  private withChannels(s: Settings, refs: readonly ChannelRef[], patch: ChannelPatch): Settings {
    const set = parsePatch(channelPatchSchema, patch, 'channel parameters');
    const channels = { ...s.channels };
    for (const ref of refs) {
      if (typeof ref !== 'object' || ref === null || !isValidRef(ref)) throw badRequest(`not a channel reference: ${JSON.stringify(ref)}`);
      const key = refKey(ref);
      if (this.opts.hasChannel && !this.opts.hasChannel(ref)) throw badRequest(`there is no channel ${key} on this box`);
      const config = { ...channelOf(s, ref), ...set };
      const broken = channelRuleBroken(config);
      if (broken) throw badRequest(`channel ${key}: ${broken}`);
      const differences = channelDifferences(ref, config, s.lineNumberBase);
      if (Object.keys(differences).length) channels[key] = differences;
      else delete channels[key];
    }
    if (Object.keys(channels).length > MAX_CONFIGURED_CHANNELS) throw badRequest(`at most ${MAX_CONFIGURED_CHANNELS} channels can be configured`);
    return { ...s, channels };
  }

  /** Runs one update in turn: compute, save, then make it the settings in force and tell the listeners. */
  private commit<T>(compute: (s: Readonly<Settings>) => { next: Settings; value: () => T }): Promise<SettingsUpdate<T>> {
    const run = this.turn.then(async () => {
      const before = this.current;
      const { next, value } = compute(before);
      const change = describeChange(before, next);
      if (!change.recording.length && !change.channels.length && !change.doNotRecord && !change.voip?.length && !change.e1Ports?.length && !change.mail?.length && !change.seats?.length && !change.nas && !change.cascade) {
        return { value: value(), change: { ...change, settings: before } };
      }
      try {
        this.savedText = await saveSettings(this.opts.dir, next, this.savedText);
      } catch (e) {
        throw new RecorderError('SETTINGS_WRITE_FAILED', `saving ${path.join(this.opts.dir, SETTINGS_FILE)}: ${(e as Error).message}`);
      }
      this.current = deepFreeze(next);
      this.channelCache.clear();
      if (change.doNotRecord) this.matcher = new DoNotRecordList(next.doNotRecord);
      const done: SettingsChange = {
        ...change,
        channels: change.channels.map((c) => ({ ...c, config: this.channel(c.ref) })),
        settings: this.current,
      };
      for (const listener of this.listeners) {
        try {
          listener(done);
        } catch (e) {
          this.opts.onListenerError?.(e);
        }
      }
      return { value: value(), change: done };
    });
    this.turn = run.catch(() => undefined);
    return run;
  }
}

function describeChange(before: Settings, after: Settings): Omit<SettingsChange, 'settings'> {
  const recording = (Object.keys(after.recording) as Array<keyof RecordingSettings>).filter((k) => before.recording[k] !== after.recording[k]);
  const channels: SettingsChange['channels'] = [];
  for (const key of new Set([...Object.keys(before.channels), ...Object.keys(after.channels)])) {
    const ref = parseRefKey(key)!;
    const was = channelOf(before, ref);
    const now = channelOf(after, ref);
    const fields = (Object.keys(now) as Array<keyof ChannelConfig>).filter((k) => was[k] !== now[k]);
    if (fields.length) channels.push({ ref, fields, config: now });
  }
  const doNotRecord = JSON.stringify(before.doNotRecord) !== JSON.stringify(after.doNotRecord);
  const e1Ports = [...new Set([...Object.keys(before.e1 ?? {}), ...Object.keys(after.e1 ?? {})])]
    .map(Number)
    .filter((p) => JSON.stringify(e1PortOf(before.e1 ?? {}, p)) !== JSON.stringify(e1PortOf(after.e1 ?? {}, p)));
  const voip = (Object.keys(after.voip) as Array<keyof VoipSettings>).filter((k) => JSON.stringify(before.voip[k]) !== JSON.stringify(after.voip[k]));
  const mail = (Object.keys(after.mail) as Array<keyof MailSettings>).filter((k) => JSON.stringify(before.mail[k]) !== JSON.stringify(after.mail[k]));
  const seats = [...new Set([...Object.keys(before.seats ?? {}), ...Object.keys(after.seats ?? {})])]
    .filter((k) => JSON.stringify(before.seats?.[k] ?? {}) !== JSON.stringify(after.seats?.[k] ?? {}));
  const nas = JSON.stringify(before.nas) !== JSON.stringify(after.nas);
  const cascade = JSON.stringify(before.cascade) !== JSON.stringify(after.cascade);
  return {
    recording, channels, doNotRecord, voip,
    ...(e1Ports.length ? { e1Ports } : {}), ...(mail.length ? { mail } : {}), ...(seats.length ? { seats } : {}), ...(nas ? { nas } : {}), ...(cascade ? { cascade } : {}),
  };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`${what}: ${describeZodError(r.error)}`);
  return r.data;
}

function parsePatch<T extends object>(schema: z.ZodType<T>, patch: unknown, what: string): T {
  return definedOnly(parse(schema, patch, what));
}

function badRequest(message: string): RecorderError {
  return new RecorderError('BAD_REQUEST', message);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
