/**
 * The E1 ports of a board, wired to the settings (a port's settings or a
 * timeslot's channel parameters applied at once, the card told of a port
 * switched on or off or of its CRC-4 framing) and to the line-card link.
 */
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { AudioTap } from '../events/audio-tap.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { E1Block } from '../linecard/e1-block-assembler.ts';
import type { E1PortLinkConfig } from '../linecard/linecard-link.ts';
import type { E1StatusEntry } from '../linecard/messages.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { Recorder } from '../recording/recorder.ts';
import { E1_VOICE_TIMESLOTS } from '../settings/e1-port-settings.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { TrunkPort } from './trunk-port.ts';
import { createTrunkTap, type TrunkTapFactory } from './trunk-tap.ts';
import type { TrunkTimeslot } from './trunk-timeslot.ts';

export interface TrunkPortsOptions {
  /** Ports the board licenses (0: none). */
  count: number;
  settings: SettingsStore;
  recorder: Pick<Recorder, 'open'>;
  alarms: AlarmList;
  events?: EventBus;
  audio?: AudioTap;
  now: () => number;
  /** Tells the line card a port's new framing or on/off. */
  configureCard: (port: number, config: E1PortLinkConfig) => void;
  createTap?: TrunkTapFactory;
}

export class TrunkPorts {
  readonly ports: TrunkPort[];
  /** Every voice timeslot of every port, for the channel list. */
  readonly timeslots: TrunkTimeslot[];

  constructor(private readonly o: TrunkPortsOptions) {
    const deps = {
      recorder: o.recorder, alarms: o.alarms, events: o.events, audio: o.audio,
      createTap: o.createTap ?? createTrunkTap,
      channelConfig: (ref: ChannelRef) => o.settings.channel(ref),
      recording: () => o.settings.recording,
    };
    this.ports = Array.from({ length: o.count }, (_, p) => new TrunkPort(p, o.settings.e1Port(p), deps));
    this.timeslots = this.ports.flatMap((p) => p.timeslots);
    o.settings.onChange((change) => {
      const now = o.now();
      for (const p of change.e1Ports ?? []) {
        const port = this.ports[p];
        if (!port) continue;
        const before = port.settings;
        const next = o.settings.e1Port(p);
        port.configure(next, now);
        if (before.enabled !== next.enabled || before.crc4 !== next.crc4) o.configureCard(p, this.linkConfig(p));
      }
      for (const c of change.channels) if (c.ref.portType === 'e1') this.ports[c.ref.port]?.channelChanged(c.ref.channel, now);
    });
  }

  /** Whether a reference names a voice timeslot of a licensed port. */
  has(ref: ChannelRef): boolean {
    return ref.portType === 'e1' && ref.port < this.ports.length && E1_VOICE_TIMESLOTS.includes(ref.channel);
  }

  linkConfig(port: number): E1PortLinkConfig {
    const c = this.o.settings.e1Port(port);
    return { enabled: c.enabled, crc4: c.crc4 };
  }

  onBlock(block: E1Block): void {
    this.ports[block.port]?.onBlock(block, this.o.now());
  }

  onStatus(entry: E1StatusEntry): void {
    this.ports[entry.port]?.onStatus(entry, this.o.now());
  }

  tick(now: number): void {
    for (const p of this.ports) p.tick(now);
  }

  onLinkDown(now: number): void {
    for (const p of this.ports) p.onLinkDown(now);
  }

  shutdown(now: number): void {
    for (const p of this.ports) p.shutdown(now);
  }
}
