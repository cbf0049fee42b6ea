/**
 * VoIP recording on the box: the media layer, the phones' record server and
 * (from the SIPREC side) the SIP listener's settings, started when the board
 * is licensed for VoIP and the settings enable it, reconfigured live, with
 * capacity alarms at 80 % and 100 % of the licensed calls and a status event
 * per call every second while anyone listens.
 */
import type { Clock, TimerHandle } from '../host/host.ts';
import type { Recorder } from '../recording/recorder.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { AudioTap } from '../events/audio-tap.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { VoipSettings } from '../settings/voip-settings.ts';
import { VoipMediaServer } from './media/voip-media.ts';
import type { MediaLogger } from './media/media-context.ts';
import type { CallStats } from './media/voip-call.ts';
import { PhoneServer } from './phone/phone-server.ts';
import { AllowList } from './phone/allow-list.ts';
import { SiprecListener } from './siprec/siprec-listener.ts';
import type { SiprecSessionStatus } from './siprec/siprec-server.ts';

export interface VoipRecordingOptions {
  recorder: Recorder;
  events: EventBus;
  tap: AudioTap;
  clock: Clock;
  log: MediaLogger;
  alarms: AlarmList;
  settings: SettingsStore;
  /** Licensed concurrent calls (board file). */
  capacity: number;
  /** Ended calls kept for the status page (default 100). */
  keepEnded?: number;
}

const STATUS_MS = 1000;
/** Settings whose change restarts the SIP listener. */
const SIP_FIELDS: ReadonlyArray<keyof VoipSettings> = ['enabled', 'bindAddress', 'sipPort', 'sipUdp', 'sipTcp', 'sipAdvertisedAddress', 'sipMinSessionExpires'];

export class VoipRecording {
  readonly media: VoipMediaServer;
  private phone: PhoneServer | null = null;
  private sip: SiprecListener | null = null;
  private allow: AllowList;
  private timer: TimerHandle | null = null;
  private listening: Promise<void> = Promise.resolve();

  constructor(private readonly o: VoipRecordingOptions) {
    const v = () => o.settings.voip;
    this.allow = new AllowList(v().allowedSenders);
    this.media = new VoipMediaServer({
      recorder: o.recorder, events: o.events, tap: o.tap, clock: o.clock, log: o.log, capacity: o.capacity, keepEnded: o.keepEnded,
      bindAddress: v().bindAddress,
      settings: () => ({ rtpPorts: { min: v().rtpPortMin, max: v().rtpPortMax }, jitterMs: v().jitterMs, silenceTimeoutS: v().silenceTimeoutS, layout: v().layout }),
      minDurationMs: () => o.settings.recording.minFileS * 1000,
      onLoad: (active, capacity) => this.onLoad(active, capacity),
      onEnded: (s) => {
        if (o.events.wants('voip.session')) o.events.publish({ type: 'voip.session', state: 'ended', ...statusOf(s), at: o.clock.now() });
      },
    });
    o.settings.onChange((c) => {
      if (c.voip?.length) this.reconfigure(c.voip);
    });
  }

  get licensed(): boolean {
    return this.o.capacity > 0;
  }

  get enabled(): boolean {
    return this.licensed && this.o.settings.voip.enabled;
  }

  /** The phones' record server port while it listens. */
  get phonePort(): number | null {
    return this.phone?.port ?? null;
  }

  /** The SIPREC listener's SIP port while it listens. */
  get sipPort(): number | null {
    return this.sip && this.sip.port > 0 ? this.sip.port : null;
  }

  /** SIPREC sessions in progress: SIP Call-ID, SRC, state, streams. */
  siprecSessions(): SiprecSessionStatus[] {
    return this.sip?.sessions() ?? [];
  }

  get phoneCounters() {
    return this.phone?.counters ?? null;
  }

  /** Starts the listeners when enabled; resolves once they listen. */
  async start(): Promise<void> {
    this.media.start();
    this.timer ??= this.o.clock.setInterval(() => this.publishStatus(), STATUS_MS);
    await this.applyListeners();
  }

  /** The wall clock was set by hand (`stepMs`): calls in progress keep their timelines. */
  shiftTime(stepMs: number): void {
    this.media.shiftTime(stepMs);
  }

  /** Ends every call (stop mode `shutdown`) and closes the listeners. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.listening;
    await this.phone?.close();
    this.phone = null;
    await this.sip?.stop();
    this.sip = null;
    await this.media.stop();
  }

  /** Ends every call in progress (before the data disk is formatted). */
  async endCalls(reason: string): Promise<void> {
    await Promise.all(this.media.active().map((c) => c.close(reason)));
  }

  sessions(): { active: CallStats[]; ended: readonly CallStats[] } {
    return { active: this.media.active().map((c) => c.stats()), ended: this.media.ended() };
  }

  private reconfigure(fields: ReadonlyArray<keyof VoipSettings>): void {
    this.allow = new AllowList(this.o.settings.voip.allowedSenders);
    this.media.reconfigure();
    if (fields.some((f) => f === 'enabled' || f === 'phoneControlPort' || f === 'bindAddress')) {
      this.listening = this.listening.then(async () => {
        await this.phone?.close();
        this.phone = null;
      });
    }
    if (fields.some((f) => SIP_FIELDS.includes(f))) {
      this.listening = this.listening.then(async () => {
        await this.sip?.stop();
        this.sip = null;
      });
    }
    if (fields.some((f) => f === 'enabled' || f === 'phoneControlPort' || f === 'bindAddress' || SIP_FIELDS.includes(f))) void this.applyListeners();
  }

  private applyListeners(): Promise<void> {
    this.listening = this.listening.then(() => this.startSip());
    this.listening = this.listening.then(async () => {
      if (!this.enabled || this.phone) return;
      const v = this.o.settings.voip;
      const phone = new PhoneServer({ media: this.media, log: this.o.log, now: () => this.o.clock.now(), allowList: () => this.allow });
      try {
        const port = await phone.listen(v.phoneControlPort, v.bindAddress);
        this.phone = phone;
        this.o.alarms.clear('voip-listener');
        this.o.log.info({ port }, 'phone record server listening');
      } catch (e) {
        this.o.alarms.raise('voip-listener', 'major', 'device', `phone record server cannot listen on port ${v.phoneControlPort}: ${(e as Error).message}`, this.o.clock.now());
      }
    });
    return this.listening;
  }

  /** The SIPREC server: SIP over UDP and TCP on the SIP port, the allowed senders as the sources it serves. */
  private async startSip(): Promise<void> {
    if (!this.enabled || this.sip) return;
    const v = this.o.settings.voip;
    const { events, clock } = this.o;
    const sip = new SiprecListener({
      media: this.media,
      clock,
      log: this.o.log,
      onStatus: (s) => {
        if (events.wants('siprec.session')) events.publish({ type: 'siprec.session', ...s });
      },
    });
    try {
      await sip.start({
        port: v.sipPort, udp: v.sipUdp, tcp: v.sipTcp, bindAddress: v.bindAddress, advertisedAddress: v.sipAdvertisedAddress,
        minSessionExpires: v.sipMinSessionExpires, allowed: (address) => this.allow.allows('', address),
      });
      this.sip = sip;
      this.o.alarms.clear('voip-sip-listener');
    } catch (e) {
      await sip.stop();
      this.o.alarms.raise('voip-sip-listener', 'major', 'device', `SIPREC listener cannot listen on port ${v.sipPort}: ${(e as Error).message}`, clock.now());
    }
  }

  private onLoad(active: number, capacity: number): void {
    const { alarms } = this.o;
    const t = this.o.clock.now();
    if (active >= capacity) alarms.raise('voip-capacity-100', 'major', 'channel', `all ${capacity} licensed VoIP calls in use; further calls are refused`, t);
    else alarms.clear('voip-capacity-100');
    if (active >= Math.ceil(capacity * 0.8)) {
      if (!alarms.has('voip-capacity-80')) alarms.raise('voip-capacity-80', 'minor', 'channel', `VoIP calls at 80 % of the licence (${capacity})`, t);
    } else alarms.clear('voip-capacity-80');
  }

  private publishStatus(): void {
    const { events } = this.o;
    if (!events.wants('voip.session')) return;
    const at = this.o.clock.now();
    for (const c of this.media.active()) {
      const s = c.stats();
      events.publish({ type: 'voip.session', state: 'active', ...statusOf(s), at });
    }
  }
}

export function statusOf(s: CallStats) {
  let packets = 0;
  let lost = 0;
  let jitterMs = 0;
  for (const x of s.streams) {
    packets += x.packets;
    lost += x.lost;
    jitterMs = Math.max(jitterMs, x.jitterMs);
  }
  const first = s.streams[0];
  return {
    id: s.id, ref: s.ref, source: s.source, device: s.device, peer: first?.sender ?? null, codec: first?.codec ?? null,
    localNumber: s.localNumber, remoteNumber: s.remoteNumber, packets, lost, jitterMs, durationMs: s.durationMs, endReason: s.endReason,
  };
}
